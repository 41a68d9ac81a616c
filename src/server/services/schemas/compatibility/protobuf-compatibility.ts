// Protobuf compatibility between a reader and a writer .proto file: can data written with `writer`
// be read with `reader`? Messages are matched by name (relative to the package), fields by number,
// as the wire format does. The difference names are those of Confluent's Protobuf provider
// (MESSAGE_REMOVED, FIELD_KIND_CHANGED, FIELD_SCALAR_KIND_CHANGED, REQUIRED_FIELD_ADDED,
// MULTIPLE_FIELDS_MOVED_TO_ONEOF, ...); where a rule needs a judgement, it follows Protobuf's own
// "Updating a message type" guide, read strictly: a change is compatible only when every value the
// writer can write reads as the same value. docs/schemas-protobuf.md lists the rules and the cases.
// Compatible changes met on the way (a field added or removed, a package change) are reported too,
// for the version diff.
import type { ProtoField, ProtoFile, ProtoMessage } from "../protobuf";

export const PROTOBUF_INCOMPATIBILITY_TYPES = [
  "MESSAGE_REMOVED",
  "FIELD_KIND_CHANGED",
  "FIELD_SCALAR_KIND_CHANGED",
  "FIELD_NAMED_TYPE_CHANGED",
  "FIELD_MADE_SINGULAR",
  "REQUIRED_FIELD_ADDED",
  "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
  "FIELD_MOVED_TO_EXISTING_ONEOF",
] as const;
export type ProtobufIncompatibilityType = (typeof PROTOBUF_INCOMPATIBILITY_TYPES)[number];
export type ProtobufCompatibleChange =
  | "SYNTAX_CHANGED"
  | "PACKAGE_CHANGED"
  | "MESSAGE_ADDED"
  | "FIELD_ADDED"
  | "FIELD_REMOVED"
  | "FIELD_NAME_CHANGED"
  | "FIELD_SCALAR_KIND_PROMOTED"
  | "FIELD_MADE_REPEATED"
  | "REQUIRED_FIELD_REMOVED"
  | "ONEOF_ADDED"
  | "ONEOF_REMOVED"
  | "ENUM_ADDED"
  | "ENUM_REMOVED"
  | "ENUM_CONST_ADDED"
  | "ENUM_CONST_REMOVED"
  | "ENUM_CONST_CHANGED";

export interface ProtobufFinding {
  type: ProtobufIncompatibilityType | ProtobufCompatibleChange;
  compatible: boolean;
  /** "#/" for the file, "#/Order" for a message, "#/Order/3" for field number 3 of it. */
  location: string;
  message: string;
}

/** The writer's scalar type (key) reads as the same value with each listed reader type. */
const PROMOTIONS: Record<string, string[]> = {
  int32: ["int64"],
  uint32: ["uint64", "int64"],
  sint32: ["sint64"],
  string: ["bytes"],
};

const WIRE_TYPES: Record<string, string> = {
  int32: "varint",
  int64: "varint",
  uint32: "varint",
  uint64: "varint",
  sint32: "varint",
  sint64: "varint",
  bool: "varint",
  fixed64: "64-bit",
  sfixed64: "64-bit",
  double: "64-bit",
  fixed32: "32-bit",
  sfixed32: "32-bit",
  float: "32-bit",
  string: "length-delimited",
  bytes: "length-delimited",
};

const describeField = (f: ProtoField) => (f.kind === "map" ? `map<${f.keyType}, ${f.type}>` : `${f.label === "optional" ? "" : `${f.label} `}${f.type}`);
const fieldName = (message: ProtoMessage, f: ProtoField) => `\`${message.name}.${f.name}\` (number ${f.number})`;

function compareScalars(message: ProtoMessage, reader: ProtoField, writer: ProtoField, at: string): ProtobufFinding | null {
  if (reader.type === writer.type) return null;
  if (PROMOTIONS[writer.type]?.includes(reader.type)) {
    return { type: "FIELD_SCALAR_KIND_PROMOTED", compatible: true, location: at, message: `field ${fieldName(message, reader)}: ${writer.type} -> ${reader.type} reads every value unchanged` };
  }
  const wire = (t: string) => WIRE_TYPES[t] ?? t;
  const why =
    wire(writer.type) === wire(reader.type)
      ? `both ${wire(reader.type)} on the wire, but values read differently (truncated, another sign, or another encoding)`
      : `the wire types differ (${wire(writer.type)} vs ${wire(reader.type)}), so the reader drops the writer's value`;
  return { type: "FIELD_SCALAR_KIND_CHANGED", compatible: false, location: at, message: `field ${fieldName(message, reader)}: ${writer.type} -> ${reader.type}; ${why}` };
}

function compareFields(message: ProtoMessage, reader: ProtoField, writer: ProtoField): ProtobufFinding[] {
  const at = `#/${message.name}/${reader.number}`;
  const found: ProtobufFinding[] = [];
  if (reader.name !== writer.name) {
    found.push({ type: "FIELD_NAME_CHANGED", compatible: true, location: at, message: `field number ${reader.number} of \`${message.name}\` is renamed \`${writer.name}\` -> \`${reader.name}\` (the wire uses numbers; JSON output changes its key)` });
  }
  const kindChanged = reader.kind !== writer.kind || (reader.kind === "map" && reader.valueKind !== writer.valueKind);
  if (kindChanged) {
    found.push({ type: "FIELD_KIND_CHANGED", compatible: false, location: at, message: `field ${fieldName(message, reader)} was ${describeField(writer)}${writer.name !== reader.name ? ` \`${writer.name}\`` : ""} and is ${describeField(reader)}; its data cannot be read` });
    return found;
  }
  if (reader.kind === "map" && reader.keyType !== writer.keyType) {
    const keyFinding = compareScalars(message, { ...reader, type: reader.keyType! }, { ...writer, type: writer.keyType! }, at);
    if (keyFinding) found.push({ ...keyFinding, message: `map key: ${keyFinding.message}` });
  }
  const valueKind = reader.kind === "map" ? reader.valueKind : reader.kind;
  if (valueKind === "scalar") {
    const scalar = compareScalars(message, reader, writer, at);
    if (scalar) found.push(scalar);
  } else if (reader.type !== writer.type) {
    found.push({ type: "FIELD_NAMED_TYPE_CHANGED", compatible: false, location: at, message: `field ${fieldName(message, reader)}: ${valueKind} ${writer.type} -> ${reader.type}; another type's data cannot be read` });
  }
  if (reader.label === "repeated" && writer.label !== "repeated") {
    found.push({ type: "FIELD_MADE_REPEATED", compatible: true, location: at, message: `field ${fieldName(message, reader)} becomes repeated; a single value reads as a list of one` });
  } else if (reader.label !== "repeated" && writer.label === "repeated") {
    const why = valueKind === "scalar" && writer.type !== "string" && writer.type !== "bytes" ? "a packed list is not read as one value" : "the reader keeps only the last of the writer's values";
    found.push({ type: "FIELD_MADE_SINGULAR", compatible: false, location: at, message: `field ${fieldName(message, reader)} is no longer repeated; ${why}` });
  }
  if (reader.label === "required" && writer.label !== "required") {
    found.push({ type: "REQUIRED_FIELD_ADDED", compatible: false, location: at, message: `field ${fieldName(message, reader)} is required in the reader but not in the writer, whose data may lack it` });
  } else if (writer.label === "required" && reader.label !== "required") {
    found.push({ type: "REQUIRED_FIELD_REMOVED", compatible: true, location: at, message: `field ${fieldName(message, reader)} is no longer required` });
  }
  return found;
}

/** Fields the writer may set together that share a oneof in the reader: the reader keeps one of them. */
function compareOneofs(reader: ProtoMessage, writer: ProtoMessage): ProtobufFinding[] {
  const found: ProtobufFinding[] = [];
  for (const oneof of reader.oneofs) {
    const members = reader.fields.filter((f) => f.oneof === oneof);
    const fromWriter = members.map((f) => writer.fields.find((w) => w.number === f.number)).filter((w): w is ProtoField => w !== undefined);
    // What the writer can set at once: each field outside a oneof alone, each writer oneof as one.
    const groups = new Set(fromWriter.map((w) => (w.oneof ? `oneof:${w.oneof}` : `field:${w.number}`)));
    if (groups.size >= 2) {
      const loose = fromWriter.filter((w) => !w.oneof);
      const type: ProtobufIncompatibilityType = loose.length === fromWriter.length ? "MULTIPLE_FIELDS_MOVED_TO_ONEOF" : "FIELD_MOVED_TO_EXISTING_ONEOF";
      found.push({
        type,
        compatible: false,
        location: `#/${reader.name}`,
        message: `fields ${fromWriter.map((w) => `\`${w.name}\``).join(", ")} of \`${reader.name}\` share oneof \`${oneof}\` in the reader but the writer may set them together; the reader keeps only one`,
      });
    }
    if (!writer.oneofs.includes(oneof) && groups.size < 2) {
      found.push({ type: "ONEOF_ADDED", compatible: true, location: `#/${reader.name}`, message: `oneof \`${oneof}\` is added to \`${reader.name}\`` });
    }
  }
  for (const oneof of writer.oneofs) {
    if (!reader.oneofs.includes(oneof)) found.push({ type: "ONEOF_REMOVED", compatible: true, location: `#/${writer.name}`, message: `oneof \`${oneof}\` of \`${writer.name}\` is gone; its fields read as ordinary fields` });
  }
  return found;
}

/** Every difference between writer and reader, compatible or not, in the writer's order. */
export function protobufResolution(reader: ProtoFile, writer: ProtoFile): ProtobufFinding[] {
  const found: ProtobufFinding[] = [];
  if (reader.syntax !== writer.syntax) {
    found.push({ type: "SYNTAX_CHANGED", compatible: true, location: "#/", message: `syntax ${writer.syntax} -> ${reader.syntax}; the wire format is the same (required fields and message changes are checked one by one)` });
  }
  if (reader.package !== writer.package) {
    found.push({ type: "PACKAGE_CHANGED", compatible: true, location: "#/", message: `package ${writer.package ?? "(none)"} -> ${reader.package ?? "(none)"}; the wire format does not carry it` });
  }
  const readerMessages = new Map(reader.messages.map((m) => [m.name, m]));
  const added = reader.messages.filter((m) => !writer.messages.some((w) => w.name === m.name));
  const parentOf = (name: string) => name.split(".").slice(0, -1).join(".");
  for (const w of writer.messages) {
    const r = readerMessages.get(w.name);
    if (!r) {
      const siblings = added.filter((a) => parentOf(a.name) === parentOf(w.name));
      const hint = siblings.length > 0 ? ` (${siblings.map((s) => `\`${s.name}\``).join(", ")} added: a rename is a removal and an addition)` : "";
      found.push({ type: "MESSAGE_REMOVED", compatible: false, location: `#/${w.name}`, message: `message \`${w.name}\` is not in the reader's schema; data written as it cannot be read${hint}` });
      continue;
    }
    const byNumber = [...new Set([...w.fields, ...r.fields].map((f) => f.number))].sort((a, b) => a - b);
    for (const number of byNumber) {
      const wf = w.fields.find((f) => f.number === number);
      const rf = r.fields.find((f) => f.number === number);
      if (wf && rf) found.push(...compareFields(r, rf, wf));
      else if (rf) {
        found.push(
          rf.label === "required"
            ? { type: "REQUIRED_FIELD_ADDED", compatible: false, location: `#/${r.name}/${number}`, message: `field ${fieldName(r, rf)} is required and not in the writer's schema, so its data has no value for it` }
            : { type: "FIELD_ADDED", compatible: true, location: `#/${r.name}/${number}`, message: `field ${fieldName(r, rf)} is not in the writer's schema; it reads as its default` },
        );
      } else if (wf) {
        found.push({ type: "FIELD_REMOVED", compatible: true, location: `#/${w.name}/${number}`, message: `field ${fieldName(w, wf)} is not in the reader's schema; its data is skipped (reserve the number so it is not reused)` });
      }
    }
    found.push(...compareOneofs(r, w));
  }
  for (const r of added) found.push({ type: "MESSAGE_ADDED", compatible: true, location: `#/${r.name}`, message: `message \`${r.name}\` is added` });
  for (const we of writer.enums) {
    const re = reader.enums.find((e) => e.name === we.name);
    if (!re) {
      found.push({ type: "ENUM_REMOVED", compatible: true, location: `#/${we.name}`, message: `enum \`${we.name}\` is not in the reader's schema` });
      continue;
    }
    for (const value of we.values) {
      const same = re.values.find((v) => v.number === value.number);
      if (!same) found.push({ type: "ENUM_CONST_REMOVED", compatible: true, location: `#/${we.name}`, message: `enum \`${we.name}\`: ${value.name} (${value.number}) is gone; it reads as an unknown value` });
      else if (same.name !== value.name) found.push({ type: "ENUM_CONST_CHANGED", compatible: true, location: `#/${we.name}`, message: `enum \`${we.name}\`: value ${value.number} is renamed ${value.name} -> ${same.name}` });
    }
    for (const value of re.values) {
      if (!we.values.some((v) => v.number === value.number)) found.push({ type: "ENUM_CONST_ADDED", compatible: true, location: `#/${re.name}`, message: `enum \`${re.name}\`: ${value.name} (${value.number}) is added` });
    }
  }
  for (const re of reader.enums) {
    if (!writer.enums.some((e) => e.name === re.name)) found.push({ type: "ENUM_ADDED", compatible: true, location: `#/${re.name}`, message: `enum \`${re.name}\` is added` });
  }
  return found;
}

/** Why `reader` cannot read data written with `writer`; empty when it can. */
export function protobufIncompatibilities(reader: ProtoFile, writer: ProtoFile): ProtobufFinding[] {
  return protobufResolution(reader, writer).filter((f) => !f.compatible);
}
