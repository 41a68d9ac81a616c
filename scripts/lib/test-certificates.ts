// A throwaway public-key infrastructure for the TLS tests, made with openssl: a test CA, a second CA
// nobody trusts, a broker certificate (valid for 127.0.0.1 and localhost), the same broker
// certificate already expired, and client certificates for mutual TLS from each CA.
import fs from "node:fs";
import path from "node:path";
import { run } from "./processes";

export interface PemPair {
  /** PEM of the certificate. */
  cert: string;
  /** PEM of its unencrypted PKCS#8 private key. */
  key: string;
  certFile: string;
  keyFile: string;
  /** Key then certificate in one file: what a Kafka PEM keystore (ssl.keystore.type=PEM) reads. */
  keystoreFile: string;
}

export interface TestPki {
  dir: string;
  ca: PemPair;
  /** A CA that signed nothing the broker trusts, and that the broker's clients do not trust. */
  otherCa: PemPair;
  broker: PemPair;
  /** The broker's name and CA, valid from 2020-01-01 to 2020-02-01. */
  expiredBroker: PemPair;
  /** CN=signalbox-client, signed by the test CA. */
  client: PemPair;
  /** CN=stranger, signed by the other CA. */
  strangerClient: PemPair;
}

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
`;

// EC P-256 keys: generated in milliseconds, and every JVM and Node.js speaks them.
const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export async function createTestPki(dir: string): Promise<TestPki> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "ca-db"), { recursive: true });
  fs.writeFileSync(path.join(dir, "ca.cnf"), CA_CONFIG);
  const openssl = (args: string[]) => run("openssl", args, { cwd: dir });

  const selfSigned = async (name: string, subject: string) => {
    await openssl(["req", "-x509", ...EC, "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "30", "-subj", subject]);
    return pair(dir, name);
  };
  const issue = async (name: string, subject: string, issuer: string, options: { san?: string; start?: string; end?: string } = {}) => {
    const ext = options.san ? ["-addext", `subjectAltName=${options.san}`] : [];
    await openssl(["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject, ...ext]);
    // A fresh database per issuer: `openssl ca` keeps one, and both CAs issue serial 01 onwards.
    const db = path.join(dir, "ca-db");
    fs.writeFileSync(path.join(db, "index.txt"), "");
    fs.writeFileSync(path.join(db, "serial"), `${(Date.now() % 1_000_000).toString(16).padStart(6, "0")}\n`);
    const validity = options.start && options.end ? ["-startdate", options.start, "-enddate", options.end] : ["-days", "30"];
    await openssl(["ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", `${issuer}.pem`, "-keyfile", `${issuer}.key`, "-in", `${name}.csr`, "-out", `${name}.pem`, ...validity]);
    return pair(dir, name);
  };

  const ca = await selfSigned("ca", "/CN=Signalbox Test CA");
  const otherCa = await selfSigned("other-ca", "/CN=Some Other CA");
  const san = "IP:127.0.0.1,DNS:localhost";
  const broker = await issue("broker", "/CN=localhost", "ca", { san });
  const expiredBroker = await issue("expired-broker", "/CN=localhost", "ca", { san, start: "20200101000000Z", end: "20200201000000Z" });
  const client = await issue("client", "/CN=signalbox-client", "ca");
  const strangerClient = await issue("stranger", "/CN=stranger", "other-ca");
  return { dir, ca, otherCa, broker, expiredBroker, client, strangerClient };
}

function pair(dir: string, name: string): PemPair {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  const cert = fs.readFileSync(certFile, "utf8");
  const key = fs.readFileSync(keyFile, "utf8");
  const keystoreFile = path.join(dir, `${name}.keystore.pem`);
  fs.writeFileSync(keystoreFile, `${key.trim()}\n${cert.trim()}\n`);
  return { cert, key, certFile, keyFile, keystoreFile };
}
