// Protobuf support: a `.proto` file parsed with protobufjs; values decoded and encoded with it;
// the file as a FileDescriptorProto (encoded with @bufbuild/protobuf) for clients that ask the
// registry for `format=serialized`. Values are shown and validated in Protobuf's JSON mapping
// (lowerCamelCase names, 64-bit integers as strings, enums by name, bytes as base64), the form
// Confluent's console consumer prints.
//
// A Confluent-framed Protobuf record has, after the magic byte and schema id, the message indexes:
// which message of the file wrote it (zigzag varints: a count, then the index of a top-level message
// and of each nested one; a single 0 stands for [0], the first message), then the message's bytes.
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  type DescriptorProtoSchema,
  type EnumDescriptorProtoSchema,
  type FieldDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import protobuf from "protobufjs";
import { createHash } from "node:crypto";
import { SCHEMA_MAX_BYTES, type SchemaProblem, type ValueError } from "./json-schema";
import type { ResolvedReference } from "./resolved-reference";

export type ProtoSyntax = "proto2" | "proto3";
export type ProtoLabel = "optional" | "required" | "repeated";
export type ProtoKind = "scalar" | "message" | "enum" | "map";

/** A field as the compatibility check compares it. */
export interface ProtoField {
  name: string;
  number: number;
  label: ProtoLabel;
  kind: ProtoKind;
  /**
   * The scalar type (int32, string, ...), or a message or enum name: relative to the file's package
   * ("Order.Line") when it is in it, else fully qualified (".google.protobuf.Timestamp"). For a map,
   * the value's type.
   */
  type: string;
  /** For a map: the key's scalar type. */
  keyType?: string;
  /** For a map: whether the value is a scalar, message or enum. */
  valueKind?: Exclude<ProtoKind, "map">;
  /** The real oneof it belongs to (not proto3 `optional`'s synthetic one). */
  oneof: string | null;
}

export interface ProtoMessage {
  /** Relative to the package, nested names joined with dots: "Order.Line". */
  name: string;
  fields: ProtoField[];
  oneofs: string[];
}

export interface ProtoEnum {
  name: string;
  values: { name: string; number: number }[];
}

/** The file as the compatibility check compares it: plain data. */
export interface ProtoFile {
  syntax: ProtoSyntax;
  package: string | null;
  imports: string[];
  /** Every message, nested ones too, in declaration order. */
  messages: ProtoMessage[];
  enums: ProtoEnum[];
}

export interface ParsedProtobufSchema {
  file: ProtoFile;
  /** The .proto as registered. */
  text: string;
  /** Names as in the .proto: for the descriptor, the checks and validation. */
  root: protobuf.Root;
  /** The declarations without comments and layout: the form compared for "the same schema". */
  canonical: string;
  fingerprint: string;
  /** The full name of the first message: the one a record without other indexes was written with. */
  name: string;
  /** The files it imports through registry references, dependencies first (parsed again for values). */
  references: ResolvedReference[];
}

export const protobufFingerprint = (canonical: string) => createHash("sha256").update(`PROTOBUF:${canonical}`).digest("hex");

/** The well-known types protobufjs ships (google/protobuf/timestamp.proto, ...): the only imports a schema may have. */
function wellKnown(file: string): protobuf.INamespace | null {
  return (protobuf.common.get(file) as protobuf.INamespace | null) ?? null;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

function withImports(root: protobuf.Root, imports: string[]): protobuf.Root {
  for (const file of imports) {
    const json = wellKnown(file);
    if (json?.nested) root.addJSON(json.nested);
  }
  root.resolveAll();
  return root;
}

/**
 * The name protobufjs gives the schema's own declarations (it labels each message and enum with the
 * file it was parsed from): declarations of referenced files carry their import path instead, so a
 * referenced file in the same package adds no messages of its own to the schema's.
 */
const OWN_FILE = "schema.proto";
const isOwn = (n: protobuf.ReflectionObject) => !n.filename || n.filename === OWN_FILE;

/** Parses `text` (its file name set, so declarations say where they come from). */
function parseFile(text: string, root: protobuf.Root, fileName: string, keepCase: boolean): protobuf.IParserResult {
  // parse.filename is protobufjs's own (untyped) way to say which file is parsed; it resets it after.
  (protobuf.parse as unknown as { filename: string | null }).filename = fileName;
  return protobuf.parse(text, root, { keepCase });
}

/** The referenced files, then the schema, in one root, with the well-known types every one of them imports; resolved. */
function rootWithReferences(text: string, references: ResolvedReference[], keepCase: boolean): protobuf.Root {
  const root = new protobuf.Root();
  const imports = new Set<string>();
  for (const reference of references) {
    const parsed = parseFile(reference.schema, root, reference.name, keepCase);
    for (const file of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) imports.add(file);
  }
  const own = parseFile(text, root, OWN_FILE, keepCase);
  for (const file of [...(own.imports ?? []), ...(own.weakImports ?? [])]) imports.add(file);
  return withImports(root, [...imports].filter((file) => wellKnown(file)));
}

const jsonRoots = new WeakMap<protobuf.Root, protobuf.Root>();

/**
 * The file parsed again with lowerCamelCase field names (Protobuf's JSON names), for values. Made
 * when a value is first decoded, not at registration: parsing a large file takes a while.
 */
function jsonRootOf(parsed: ParsedProtobufSchema): protobuf.Root {
  let root = jsonRoots.get(parsed.root);
  if (!root) {
    root = rootWithReferences(parsed.text, parsed.references, false);
    jsonRoots.set(parsed.root, root);
  }
  return root;
}

/** Parses `.proto` text; every problem says what is wrong. */
export function parseProtobufSchema(text: string, references: ResolvedReference[] = []): ({ ok: true } & ParsedProtobufSchema) | SchemaProblem {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > SCHEMA_MAX_BYTES) return { ok: false, problems: [`The schema is ${Math.ceil(bytes / 1024)} KiB; the limit is ${SCHEMA_MAX_BYTES / 1024} KiB.`] };
  if (text.trim() === "") return { ok: false, problems: ["The schema is empty."] };
  const bare = stripComments(text);
  if (/^\s*edition\s*=/m.test(bare)) return { ok: false, problems: ['Protobuf editions are not supported yet; declare syntax = "proto3" or "proto2".'] };
  const declared = /^\s*syntax\s*=\s*["']([^"']*)["']\s*;/m.exec(bare)?.[1];
  if (declared !== undefined && declared !== "proto2" && declared !== "proto3") return { ok: false, problems: [`Unknown syntax "${declared}"; a .proto file is proto2 or proto3.`] };
  // A file without a syntax statement is proto2 (protoc's rule).
  const syntax: ProtoSyntax = declared ?? "proto2";
  let parsed: protobuf.IParserResult;
  try {
    parsed = parseFile(text, new protobuf.Root(), OWN_FILE, true);
  } catch (error) {
    return { ok: false, problems: [`Not a valid .proto file: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
  // Other files come from registry references named by their import path (Confluent's rule).
  const missing = imports.filter((file) => !wellKnown(file) && !references.some((r) => r.name === file));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: [`The file imports ${missing.map((f) => `"${f}"`).join(", ")}, which no schema reference names: register that file as a subject and add a reference with name "${missing[0]}" to it (only the well-known google/protobuf/*.proto files come without one).`],
    };
  }
  const notProto = references.find((r) => r.schemaType !== "PROTOBUF");
  if (notProto) return { ok: false, problems: [`The referenced schema "${notProto.name}" is ${notProto.schemaType}; a .proto file can only import Protobuf schemas.`] };
  // The file's own declarations, before the well-known types join them, in order (message order
  // matters: message indexes point into it).
  const own = parsed.root.toJSON();
  const byReference = imports.some((file) => !wellKnown(file));
  let root: protobuf.Root;
  try {
    root = byReference ? rootWithReferences(text, references, true) : withImports(parsed.root, imports);
  } catch (error) {
    return { ok: false, problems: [`The .proto file does not resolve${byReference ? " with its references" : ""}: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  const pkg = parsed.package ?? null;
  const file = describeFile(root, syntax, pkg, imports);
  const first = topLevelMessages(root, pkg)[0];
  if (!first) return { ok: false, problems: ["The .proto file defines no message."] };
  const canonical = JSON.stringify({ syntax, package: pkg, imports: [...imports].sort(), nested: own.nested ?? {} });
  return { ok: true, file, text, root, canonical, fingerprint: protobufFingerprint(canonical), name: first.fullName.replace(/^\./, ""), references: byReference ? references : [] };
}

function packageNamespace(root: protobuf.Root, pkg: string | null): protobuf.Namespace | null {
  if (!pkg) return root;
  const found = root.lookup(pkg);
  return found instanceof protobuf.Namespace ? found : null;
}

/** The file's top-level messages in declaration order: message index [i] names the i-th. */
export function topLevelMessages(root: protobuf.Root, pkg: string | null): protobuf.Type[] {
  return (packageNamespace(root, pkg)?.nestedArray ?? []).filter((n): n is protobuf.Type => n instanceof protobuf.Type && isOwn(n));
}

const relativeName = (fullName: string, pkg: string | null) => {
  const bare = fullName.replace(/^\./, "");
  return pkg && bare.startsWith(`${pkg}.`) ? bare.slice(pkg.length + 1) : pkg ? `.${bare}` : bare;
};

const isSyntheticOneof = (oneof: protobuf.OneOf) => oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]!.options?.proto3_optional === true;

function describeFile(root: protobuf.Root, syntax: ProtoSyntax, pkg: string | null, imports: string[]): ProtoFile {
  const messages: ProtoMessage[] = [];
  const enums: ProtoEnum[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray.filter(isOwn)) {
      if (nested instanceof protobuf.Type) {
        messages.push({
          name: relativeName(nested.fullName, pkg),
          fields: nested.fieldsArray.map((f) => describeField(f, pkg)),
          oneofs: nested.oneofsArray.filter((o) => !isSyntheticOneof(o)).map((o) => o.name),
        });
        walk(nested);
      } else if (nested instanceof protobuf.Enum) {
        enums.push({ name: relativeName(nested.fullName, pkg), values: Object.entries(nested.values).map(([name, number]) => ({ name, number })) });
      }
    }
  };
  const own = packageNamespace(root, pkg);
  if (own) walk(own);
  return { syntax, package: pkg, imports, messages, enums };
}

function describeField(field: protobuf.Field, pkg: string | null): ProtoField {
  const oneof = field.partOf && !isSyntheticOneof(field.partOf) ? field.partOf.name : null;
  const kindOf = (resolved: protobuf.Type | protobuf.Enum | null): Exclude<ProtoKind, "map"> => (resolved instanceof protobuf.Type ? "message" : resolved instanceof protobuf.Enum ? "enum" : "scalar");
  const typeOf = (resolved: protobuf.Type | protobuf.Enum | null, type: string) => (resolved ? relativeName(resolved.fullName, pkg) : type);
  if (field instanceof protobuf.MapField) {
    return { name: field.name, number: field.id, label: "repeated", kind: "map", type: typeOf(field.resolvedType, field.type), keyType: field.keyType, valueKind: kindOf(field.resolvedType), oneof };
  }
  const label: ProtoLabel = field.repeated ? "repeated" : field.required ? "required" : "optional";
  return { name: field.name, number: field.id, label, kind: kindOf(field.resolvedType), type: typeOf(field.resolvedType, field.type), oneof };
}

// ── The FileDescriptorProto (`GET /schemas/ids/{id}?format=serialized`) ─────────────────────────

const SCALAR_TYPES: Record<string, FieldDescriptorProto_Type> = {
  double: FieldDescriptorProto_Type.DOUBLE,
  float: FieldDescriptorProto_Type.FLOAT,
  int64: FieldDescriptorProto_Type.INT64,
  uint64: FieldDescriptorProto_Type.UINT64,
  int32: FieldDescriptorProto_Type.INT32,
  fixed64: FieldDescriptorProto_Type.FIXED64,
  fixed32: FieldDescriptorProto_Type.FIXED32,
  bool: FieldDescriptorProto_Type.BOOL,
  string: FieldDescriptorProto_Type.STRING,
  bytes: FieldDescriptorProto_Type.BYTES,
  uint32: FieldDescriptorProto_Type.UINT32,
  sfixed32: FieldDescriptorProto_Type.SFIXED32,
  sfixed64: FieldDescriptorProto_Type.SFIXED64,
  sint32: FieldDescriptorProto_Type.SINT32,
  sint64: FieldDescriptorProto_Type.SINT64,
};

type FieldInit = MessageInitShape<typeof FieldDescriptorProtoSchema>;
type MessageInit = MessageInitShape<typeof DescriptorProtoSchema>;
type EnumInit = MessageInitShape<typeof EnumDescriptorProtoSchema>;

const mapEntryName = (field: string) => `${field.replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase())}Entry`;

function typeRef(resolved: protobuf.Type | protobuf.Enum | null, type: string): { type: FieldDescriptorProto_Type; typeName?: string } {
  if (resolved instanceof protobuf.Type) return { type: FieldDescriptorProto_Type.MESSAGE, typeName: resolved.fullName };
  if (resolved instanceof protobuf.Enum) return { type: FieldDescriptorProto_Type.ENUM, typeName: resolved.fullName };
  return { type: SCALAR_TYPES[type]! };
}

function enumDescriptor(e: protobuf.Enum): EnumInit {
  return { name: e.name, value: Object.entries(e.values).map(([name, number]) => ({ name, number })) };
}

function messageDescriptor(type: protobuf.Type, syntax: ProtoSyntax): MessageInit {
  // Real oneofs first, then proto3 `optional`'s synthetic ones (protoc's order).
  const oneofs = [...type.oneofsArray.filter((o) => !isSyntheticOneof(o)), ...type.oneofsArray.filter(isSyntheticOneof)];
  const mapEntries: MessageInit[] = [];
  const field = type.fieldsArray.map((f): FieldInit => {
    const base = { name: f.name, number: f.id, jsonName: protobuf.util.camelCase(f.name) };
    const oneofIndex = f.partOf ? { oneofIndex: oneofs.indexOf(f.partOf) } : {};
    if (f instanceof protobuf.MapField) {
      const entry = mapEntryName(f.name);
      mapEntries.push({
        name: entry,
        field: [
          { name: "key", number: 1, jsonName: "key", label: FieldDescriptorProto_Label.OPTIONAL, type: SCALAR_TYPES[f.keyType]! },
          { name: "value", number: 2, jsonName: "value", label: FieldDescriptorProto_Label.OPTIONAL, ...typeRef(f.resolvedType, f.type) },
        ],
        options: { mapEntry: true },
      });
      return { ...base, label: FieldDescriptorProto_Label.REPEATED, type: FieldDescriptorProto_Type.MESSAGE, typeName: `${type.fullName}.${entry}` };
    }
    const label = f.repeated ? FieldDescriptorProto_Label.REPEATED : f.required ? FieldDescriptorProto_Label.REQUIRED : FieldDescriptorProto_Label.OPTIONAL;
    const extra: { proto3Optional?: boolean; defaultValue?: string; options?: { packed: boolean } } = {};
    if (f.options?.proto3_optional === true) extra.proto3Optional = true;
    if (syntax === "proto2" && f.options?.default !== undefined) extra.defaultValue = String(f.options.default);
    if (f.options?.packed !== undefined) extra.options = { packed: Boolean(f.options.packed) };
    return { ...base, label, ...typeRef(f.resolvedType, f.type), ...oneofIndex, ...extra };
  });
  return {
    name: type.name,
    field,
    nestedType: [...type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type).map((t) => messageDescriptor(t, syntax)), ...mapEntries],
    enumType: type.nestedArray.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum).map(enumDescriptor),
    oneofDecl: oneofs.map((o) => ({ name: o.name })),
  };
}

/** The schema as a serialized google.protobuf.FileDescriptorProto (what Confluent's `format=serialized` returns, base64). */
export function fileDescriptorBytes(parsed: ParsedProtobufSchema, fileName = "schema.proto"): Uint8Array {
  const own = packageNamespace(parsed.root, parsed.file.package);
  const nested = (own?.nestedArray ?? []).filter(isOwn);
  const descriptor = create(FileDescriptorProtoSchema, {
    name: fileName,
    ...(parsed.file.package ? { package: parsed.file.package } : {}),
    dependency: parsed.file.imports,
    messageType: nested.filter((n): n is protobuf.Type => n instanceof protobuf.Type).map((t) => messageDescriptor(t, parsed.file.syntax)),
    enumType: nested.filter((n): n is protobuf.Enum => n instanceof protobuf.Enum).map(enumDescriptor),
    syntax: parsed.file.syntax,
  });
  return toBinary(FileDescriptorProtoSchema, descriptor);
}

// ── Message indexes ─────────────────────────────────────────────────────────────────────────────

const MAX_INDEXES = 32;

function readVarint(bytes: Uint8Array, offset: number): { value: number; offset: number } | null {
  let result = 0;
  let shift = 0;
  for (let i = offset; i < bytes.length && shift < 35; i++) {
    const b = bytes[i]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value: result, offset: i + 1 };
  }
  return null;
}

const unzigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);
const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);

function writeVarint(n: number, out: number[]): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** The message indexes at the start of a payload, and where the message starts; null when they are not readable. */
export function readMessageIndexes(payload: Uint8Array): { indexes: number[]; offset: number } | null {
  const count = readVarint(payload, 0);
  if (!count) return null;
  const n = unzigzag(count.value);
  if (n === 0) return { indexes: [0], offset: count.offset };
  if (n < 0 || n > MAX_INDEXES) return null;
  const indexes: number[] = [];
  let offset = count.offset;
  for (let i = 0; i < n; i++) {
    const next = readVarint(payload, offset);
    if (!next) return null;
    const index = unzigzag(next.value);
    if (index < 0) return null;
    indexes.push(index);
    offset = next.offset;
  }
  return { indexes, offset };
}

/** Message indexes as the Confluent serializer writes them ([0] as a single 0 byte). */
export function writeMessageIndexes(indexes: number[]): Uint8Array {
  if (indexes.length === 1 && indexes[0] === 0) return Uint8Array.of(0);
  const out: number[] = [];
  writeVarint(zigzag(indexes.length), out);
  for (const index of indexes) writeVarint(zigzag(index), out);
  return Uint8Array.from(out);
}

/** The message that message indexes name, in the given root; null when there is none. */
export function messageAt(parsed: ParsedProtobufSchema, indexes: number[], root: protobuf.Root = jsonRootOf(parsed)): protobuf.Type | null {
  let candidates = topLevelMessages(root, parsed.file.package);
  let found: protobuf.Type | null = null;
  for (const index of indexes) {
    found = candidates[index] ?? null;
    if (!found) return null;
    candidates = found.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  return found;
}

// ── Values ──────────────────────────────────────────────────────────────────────────────────────

const TO_JSON: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, json: true };

/** protobufjs puts lists and maps first; people read a message in the order its fields are declared. */
function inDeclarationOrder(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!(field.name in value)) continue;
    const v = value[field.name];
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    const order = (item: unknown) => (nested && item && typeof item === "object" ? inDeclarationOrder(nested, item as Record<string, unknown>) : item);
    if (field instanceof protobuf.MapField) out[field.name] = v && Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, order(item)]));
    else out[field.name] = Array.isArray(v) ? v.map(order) : order(v);
  }
  return out;
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array): { ok: true; value: unknown; json: string } | { ok: false; reason: string } {
  try {
    // A plain Uint8Array view, never a Buffer: protobufjs's Buffer reader cuts a string field that
    // runs past the end instead of failing, so truncated data would read as valid.
    const message = type.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const value = inDeclarationOrder(type, type.toObject(message, TO_JSON));
    const json = JSON.stringify(value);
    return { ok: true, value: JSON.parse(json) as unknown, json };
  } catch (error) {
    return { ok: false, reason: `not Protobuf data for ${type.fullName.replace(/^\./, "")}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The payload after the schema id (message indexes, then the message) in Protobuf's JSON mapping;
 * never throws. A payload without message indexes, as @kafkajs/confluent-schema-registry writes
 * them, is read as the first message when the indexes do not make sense: a Protobuf message never
 * starts with a 0 byte (field number 0 does not exist), so the two forms differ from the first byte.
 */
export function decodeProtobufPayload(parsed: ParsedProtobufSchema, payload: Uint8Array): { ok: true; value: unknown; json: string } | { ok: false; reason: string } {
  const framed = readMessageIndexes(payload);
  const type = framed ? messageAt(parsed, framed.indexes) : null;
  if (framed && type) {
    const decoded = decodeMessage(type, payload.subarray(framed.offset));
    if (decoded.ok || payload[0] === 0) return decoded;
  }
  if (payload.length > 0 && payload[0] !== 0) {
    const first = messageAt(parsed, [0])!;
    const bare = decodeMessage(first, payload);
    if (bare.ok) return bare;
  }
  if (!framed) return { ok: false, reason: "the message indexes after the schema id are not readable" };
  if (!type) return { ok: false, reason: `the message indexes [${framed.indexes.join(", ")}] name no message of the schema` };
  return decodeMessage(type, payload.subarray(framed.offset));
}

/** A value in Protobuf's JSON mapping as the payload after the schema id (indexes [0]: the first message); throws an Error saying what does not fit. */
export function encodeProtobufValue(parsed: ParsedProtobufSchema, value: unknown): Uint8Array {
  const errors = validateProtobufValue(parsed, value);
  if (errors.length > 0) throw new Error(`The value does not match the Protobuf schema: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`);
  const type = messageAt(parsed, [0], parsed.root)!;
  const body = type.encode(type.fromObject(declaredNames(type, value) as Record<string, unknown>)).finish();
  const indexes = writeMessageIndexes([0]);
  const out = new Uint8Array(indexes.length + body.length);
  out.set(indexes, 0);
  out.set(body, indexes.length);
  return out;
}

/** A valid value with its keys as declared in the .proto (JSON names may be lowerCamelCase), for protobufjs's fromObject. */
function declaredNames(type: protobuf.Type, value: unknown): unknown {
  const fieldOf = (key: string) => type.fieldsArray.find((f) => f.name === key || protobuf.util.camelCase(f.name) === key)!;
  const one = (field: protobuf.Field, v: unknown) => (field.resolvedType instanceof protobuf.Type && v !== null ? declaredNames(field.resolvedType, v) : v);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, v]) => {
      const field = fieldOf(key);
      if (field instanceof protobuf.MapField) return [field.name, v && Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, one(field, item)]))];
      return [field.name, field.repeated && Array.isArray(v) ? v.map((item) => one(field, item)) : one(field, v)];
    }),
  );
}

const INT32 = new Set(["int32", "sint32", "sfixed32"]);
const UINT32 = new Set(["uint32", "fixed32"]);
const INT64 = new Set(["int64", "sint64", "sfixed64"]);
const UINT64 = new Set(["uint64", "fixed64"]);
const MAX_ERRORS = 20;

function pointer(path: string[]): string {
  return path.length === 0 ? "/" : `/${path.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function scalarProblem(type: string, value: unknown): string | null {
  const show = () => JSON.stringify(value)?.slice(0, 80) ?? "undefined";
  const integer = (min: bigint, max: bigint) => {
    let n: bigint;
    if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
    else if (typeof value === "string" && /^-?\d+$/.test(value)) n = BigInt(value);
    else return `must be an integer (${type}), got ${show()}`;
    return n < min || n > max ? `is out of range for ${type}: ${show()}` : null;
  };
  if (INT32.has(type)) return integer(-(2n ** 31n), 2n ** 31n - 1n);
  if (UINT32.has(type)) return integer(0n, 2n ** 32n - 1n);
  if (INT64.has(type)) return integer(-(2n ** 63n), 2n ** 63n - 1n);
  if (UINT64.has(type)) return integer(0n, 2n ** 64n - 1n);
  if (type === "double" || type === "float") return typeof value === "number" || value === "NaN" || value === "Infinity" || value === "-Infinity" ? null : `must be a number (${type}), got ${show()}`;
  if (type === "bool") return typeof value === "boolean" ? null : `must be true or false, got ${show()}`;
  if (type === "string") return typeof value === "string" ? null : `must be a string, got ${show()}`;
  if (type === "bytes") return typeof value === "string" && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value) ? null : `must be base64 text (bytes), got ${show()}`;
  return `has an unknown type ${type}`;
}

/** Validates a value in Protobuf's JSON mapping (names in lowerCamelCase or as declared) against the first message; an empty list means it conforms. */
export function validateProtobufValue(parsed: ParsedProtobufSchema, value: unknown): ValueError[] {
  const errors: ValueError[] = [];
  const add = (path: string[], message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ path: pointer(path), message });
  };
  const checkSingle = (resolved: protobuf.Type | protobuf.Enum | null, type: string, v: unknown, path: string[], depth: number) => {
    if (resolved instanceof protobuf.Type) return checkMessage(resolved, v, path, depth + 1);
    if (resolved instanceof protobuf.Enum) {
      if (typeof v === "string" ? !(v in resolved.values) : !(typeof v === "number" && Number.isInteger(v))) add(path, `must be one of ${Object.keys(resolved.values).join(", ")}, got ${JSON.stringify(v)?.slice(0, 80)}`);
      return;
    }
    const problem = scalarProblem(type, v);
    if (problem) add(path, problem);
  };
  const checkMessage = (type: protobuf.Type, v: unknown, path: string[], depth: number): void => {
    if (depth > 64) return add(path, "is nested too deeply");
    if (v === null || typeof v !== "object" || Array.isArray(v)) return add(path, `must be an object (message ${type.name}), got ${JSON.stringify(v)?.slice(0, 80)}`);
    const setInOneof = new Map<string, string>();
    for (const [key, fieldValue] of Object.entries(v)) {
      const field = type.fieldsArray.find((f) => f.name === key || protobuf.util.camelCase(f.name) === key);
      if (!field) {
        add([...path, key], `is not a field of ${type.name}`);
        continue;
      }
      if (fieldValue === null) continue; // JSON null: the field's default
      if (field.partOf && !isSyntheticOneof(field.partOf)) {
        const other = setInOneof.get(field.partOf.name);
        if (other) add([...path, key], `is in oneof ${field.partOf.name} with ${other}; only one may be set`);
        setInOneof.set(field.partOf.name, key);
      }
      const at = [...path, key];
      if (field instanceof protobuf.MapField) {
        if (typeof fieldValue !== "object" || Array.isArray(fieldValue)) {
          add(at, `must be an object (map<${field.keyType}, ${field.type}>)`);
          continue;
        }
        for (const [k, item] of Object.entries(fieldValue as Record<string, unknown>)) {
          const keyProblem = field.keyType === "string" ? null : field.keyType === "bool" ? (k === "true" || k === "false" ? null : "must be true or false") : scalarProblem(field.keyType, k);
          if (keyProblem) add([...at, k], `key ${keyProblem}`);
          checkSingle(field.resolvedType, field.type, item, [...at, k], depth);
        }
      } else if (field.repeated) {
        if (!Array.isArray(fieldValue)) add(at, `must be an array (repeated ${field.type})`);
        else fieldValue.forEach((item, i) => checkSingle(field.resolvedType, field.type, item, [...at, String(i)], depth));
      } else checkSingle(field.resolvedType, field.type, fieldValue, at, depth);
    }
    for (const field of type.fieldsArray) {
      if (field.required && (v as Record<string, unknown>)[field.name] === undefined && (v as Record<string, unknown>)[protobuf.util.camelCase(field.name)] === undefined) add([...path, protobuf.util.camelCase(field.name)], "is required but missing");
    }
  };
  checkMessage(messageAt(parsed, [0], parsed.root)!, value, [], 0);
  return errors;
}
