import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { connectReason } from "~/server/connect/client";
import { hideSecrets, parseConnectorJson, toConnectorView } from "./connect";

const problem = (json: string) => {
  try {
    parseConnectorJson(json);
    return null;
  } catch (error) {
    return error instanceof AppError ? error.userMessage : String(error);
  }
};

describe("parseConnectorJson", () => {
  it("takes Connect's create body or the config alone with its name; numbers and booleans become text", () => {
    expect(parseConnectorJson('{"name":"a","config":{"connector.class":"FileStreamSink","tasks.max":2,"errors.log.enable":true}}')).toEqual({
      name: "a",
      config: { "connector.class": "FileStreamSink", "tasks.max": "2", "errors.log.enable": "true" },
    });
    expect(parseConnectorJson('{"name":"b","connector.class":"FileStreamSource","file":"/tmp/x"}')).toEqual({ name: "b", config: { "connector.class": "FileStreamSource", file: "/tmp/x" } });
    expect(parseConnectorJson('{"config":{"name":"c","connector.class":"X"}}').name).toBe("c");
  });

  it("refuses what Connect could not take, naming each problem", () => {
    expect(problem("{nope")).toMatch(/^The connector is not valid JSON/);
    expect(problem("[1]")).toMatch(/must be a JSON object/);
    expect(problem('{"config":{"connector.class":"X"}}')).toMatch(/name: required/);
    expect(problem('{"name":"a/b","connector.class":"X"}')).toMatch(/without \/ or/);
    expect(problem('{"name":"..","connector.class":"X"}')).toMatch(/must not be "\." or "\.\."/);
    expect(problem('{"name":"a","config":{"topics":"t","nested":{"x":1}}}')).toBe('The connector is not valid: config "nested" must be a string, number or boolean; config "connector.class" is required, e.g. "FileStreamSink".');
    expect(problem('{"name":"a","config":{"name":"b","connector.class":"X"}}')).toMatch(/name "a" and config "name" "b" differ/);
  });
});

describe("a connector as the browser sees it", () => {
  it("hides values whose names say they are secrets, and names the dead-letter topic", () => {
    expect(hideSecrets({ "connection.password": "pw", "sasl.jaas.config": "x", "ssl.key.password": "k", "aws.secret.key": "s", "value.converter": "Json", "key.converter": "String", topics: "t", "connection.user": "u" })).toEqual({
      "connection.password": "[hidden]",
      "sasl.jaas.config": "[hidden]",
      "ssl.key.password": "[hidden]",
      "aws.secret.key": "[hidden]",
      "value.converter": "Json",
      "key.converter": "String",
      topics: "t",
      "connection.user": "u",
    });
    const view = toConnectorView({ name: "s", type: "sink", state: "RUNNING", workerId: "w", trace: null, tasks: [{ id: 0, state: "FAILED", workerId: "w", trace: "boom" }, { id: 1, state: "RUNNING", workerId: "w", trace: null }], config: { "errors.deadletterqueue.topic.name": " s.DLQ " } });
    expect(view).toMatchObject({ dlqTopic: "s.DLQ", failedTasks: 1 });
  });
});

describe("connectReason", () => {
  it("takes Connect's message from its error body, else the start of the body", () => {
    expect(connectReason('{"error_code":409,"message":"Connector a already exists"}')).toBe("Connector a already exists");
    expect(connectReason("<html><body>Bad   gateway</body></html>")).toBe("<html><body>Bad gateway</body></html>");
    expect(connectReason("")).toBe("no reason given");
  });
});
