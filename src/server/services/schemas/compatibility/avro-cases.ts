// The Avro conformance table: reader/writer pairs and what Avro's schema resolution says of them,
// written after the cases of Avro's own TestSchemaCompatibility (Java) and the specification's
// "Schema Resolution" section. The test checks every row; docs/schemas-avro.md prints the table.

export interface AvroCase {
  reader: unknown;
  writer: unknown;
  /** "compatible", or the incompatibility Avro's Java library reports first. */
  expected: "compatible" | "TYPE_MISMATCH" | "READER_FIELD_MISSING_DEFAULT_VALUE" | "MISSING_ENUM_SYMBOLS" | "NAME_MISMATCH" | "FIXED_SIZE_MISMATCH" | "MISSING_UNION_BRANCH";
  why: string;
}

const record = (name: string, fields: unknown[], extra: Record<string, unknown> = {}) => ({ type: "record", name, fields, ...extra });
const enumOf = (name: string, symbols: string[], extra: Record<string, unknown> = {}) => ({ type: "enum", name, symbols, ...extra });
const A_INT = record("Record1", [{ name: "a", type: "int" }]);
const A_LONG = record("Record1", [{ name: "a", type: "long" }]);
const A_DINT = record("Record1", [{ name: "a", type: "int", default: 0 }]);
const EMPTY1 = record("Record1", []);
const A_INT_B_INT = record("Record1", [{ name: "a", type: "int" }, { name: "b", type: "int" }]);
const A_INT_B_DINT = record("Record1", [{ name: "a", type: "int" }, { name: "b", type: "int", default: 0 }]);
const A_DINT_B_DINT = record("Record1", [{ name: "a", type: "int", default: 0 }, { name: "b", type: "int", default: 0 }]);
const list = (item: string) => record("List", [{ name: "head", type: item }, { name: "tail", type: ["null", "List"], default: null }]);

export const AVRO_CASES: AvroCase[] = [
  { reader: "null", writer: "null", expected: "compatible", why: "same primitive" },
  { reader: "boolean", writer: "boolean", expected: "compatible", why: "same primitive" },
  { reader: "long", writer: "int", expected: "compatible", why: "int promotes to long" },
  { reader: "float", writer: "int", expected: "compatible", why: "int promotes to float" },
  { reader: "float", writer: "long", expected: "compatible", why: "long promotes to float" },
  { reader: "double", writer: "int", expected: "compatible", why: "int promotes to double" },
  { reader: "double", writer: "long", expected: "compatible", why: "long promotes to double" },
  { reader: "double", writer: "float", expected: "compatible", why: "float promotes to double" },
  { reader: "string", writer: "bytes", expected: "compatible", why: "bytes read as string" },
  { reader: "bytes", writer: "string", expected: "compatible", why: "string read as bytes" },
  { reader: "int", writer: "long", expected: "TYPE_MISMATCH", why: "no demotion long to int" },
  { reader: "int", writer: "float", expected: "TYPE_MISMATCH", why: "no demotion float to int" },
  { reader: "long", writer: "double", expected: "TYPE_MISMATCH", why: "no demotion double to long" },
  { reader: "float", writer: "double", expected: "TYPE_MISMATCH", why: "no demotion double to float" },
  { reader: "int", writer: "boolean", expected: "TYPE_MISMATCH", why: "unrelated primitives" },
  { reader: "null", writer: "int", expected: "TYPE_MISMATCH", why: "unrelated primitives" },
  { reader: "string", writer: "int", expected: "TYPE_MISMATCH", why: "int is not read as string" },
  { reader: { type: "array", items: "long" }, writer: { type: "array", items: "int" }, expected: "compatible", why: "array items promote" },
  { reader: { type: "array", items: "int" }, writer: { type: "array", items: "long" }, expected: "TYPE_MISMATCH", why: "array items do not demote" },
  { reader: { type: "map", values: "long" }, writer: { type: "map", values: "int" }, expected: "compatible", why: "map values promote" },
  { reader: { type: "map", values: "int" }, writer: { type: "map", values: "long" }, expected: "TYPE_MISMATCH", why: "map values do not demote" },
  { reader: { type: "array", items: "int" }, writer: { type: "map", values: "int" }, expected: "TYPE_MISMATCH", why: "a map is not an array" },
  { reader: enumOf("Enum1", ["A", "B", "C"]), writer: enumOf("Enum1", ["A", "B"]), expected: "compatible", why: "enum symbol added in the reader" },
  { reader: enumOf("Enum1", ["A", "B"]), writer: enumOf("Enum1", ["A", "B", "C"]), expected: "MISSING_ENUM_SYMBOLS", why: "the writer's C is unknown to the reader" },
  { reader: enumOf("Enum1", ["B", "C"]), writer: enumOf("Enum1", ["A", "B", "C"]), expected: "MISSING_ENUM_SYMBOLS", why: "the writer's A is unknown to the reader" },
  { reader: enumOf("Enum1", ["A", "B"], { default: "A" }), writer: enumOf("Enum1", ["A", "B", "C"]), expected: "compatible", why: "unknown symbols read as the reader's enum default" },
  { reader: enumOf("Enum1", ["A", "B"]), writer: enumOf("Enum2", ["A", "B"]), expected: "NAME_MISMATCH", why: "named types must have the same name" },
  { reader: enumOf("Enum2", ["A", "B"], { aliases: ["Enum1"] }), writer: enumOf("Enum1", ["A", "B"]), expected: "compatible", why: "the reader's alias names the writer's enum" },
  { reader: { type: "fixed", name: "F", size: 4 }, writer: { type: "fixed", name: "F", size: 4 }, expected: "compatible", why: "same fixed" },
  { reader: { type: "fixed", name: "F", size: 4 }, writer: { type: "fixed", name: "F", size: 8 }, expected: "FIXED_SIZE_MISMATCH", why: "fixed sizes differ" },
  { reader: ["int"], writer: ["int"], expected: "compatible", why: "same union" },
  { reader: ["int", "string"], writer: ["string", "int"], expected: "compatible", why: "union branch order does not matter" },
  { reader: ["long"], writer: ["int"], expected: "compatible", why: "union branch promotes" },
  { reader: ["null", "int"], writer: "int", expected: "compatible", why: "a union reads one of its branches" },
  { reader: ["null", "long"], writer: "int", expected: "compatible", why: "a union reads a promotable type" },
  { reader: "int", writer: ["int"], expected: "compatible", why: "every writer branch is readable" },
  { reader: ["int"], writer: ["int", "string"], expected: "MISSING_UNION_BRANCH", why: "the writer's string branch is unreadable" },
  { reader: "float", writer: ["int", "long", "float", "double"], expected: "MISSING_UNION_BRANCH", why: "double does not demote to float" },
  { reader: "long", writer: ["int", "float"], expected: "MISSING_UNION_BRANCH", why: "float does not demote to long" },
  { reader: ["null", "string"], writer: "int", expected: "TYPE_MISMATCH", why: "no union branch reads int" },
  { reader: EMPTY1, writer: EMPTY1, expected: "compatible", why: "same record" },
  { reader: EMPTY1, writer: A_INT, expected: "compatible", why: "writer field a is skipped" },
  { reader: A_INT, writer: A_INT, expected: "compatible", why: "same record" },
  { reader: A_DINT, writer: A_INT, expected: "compatible", why: "reader default not needed" },
  { reader: A_DINT, writer: EMPTY1, expected: "compatible", why: "field a added with a default" },
  { reader: A_LONG, writer: A_INT, expected: "compatible", why: "field type promotes" },
  { reader: A_INT, writer: A_INT_B_INT, expected: "compatible", why: "writer field b is skipped" },
  { reader: A_INT_B_DINT, writer: A_INT, expected: "compatible", why: "field b added with a default" },
  { reader: A_DINT_B_DINT, writer: EMPTY1, expected: "compatible", why: "both fields have defaults" },
  { reader: A_DINT_B_DINT, writer: A_INT_B_INT, expected: "compatible", why: "defaults not needed" },
  { reader: A_INT, writer: EMPTY1, expected: "READER_FIELD_MISSING_DEFAULT_VALUE", why: "field a added without a default" },
  { reader: A_INT_B_DINT, writer: EMPTY1, expected: "READER_FIELD_MISSING_DEFAULT_VALUE", why: "field a has no default" },
  { reader: A_INT, writer: A_LONG, expected: "TYPE_MISMATCH", why: "field a: long does not demote to int" },
  { reader: record("Record1", [{ name: "a", type: "string" }]), writer: A_INT, expected: "TYPE_MISMATCH", why: "field a: int is not read as string" },
  { reader: record("Record2", []), writer: EMPTY1, expected: "NAME_MISMATCH", why: "record names differ" },
  { reader: record("Record2", [], { aliases: ["Record1"] }), writer: EMPTY1, expected: "compatible", why: "the reader's alias names the writer's record" },
  { reader: record("Record1", [{ name: "b", type: "int", aliases: ["a"] }]), writer: A_INT, expected: "compatible", why: "field renamed with an alias" },
  { reader: record("Record1", [{ name: "b", type: "int" }]), writer: A_INT, expected: "READER_FIELD_MISSING_DEFAULT_VALUE", why: "field renamed without an alias or default" },
  { reader: list("long"), writer: list("int"), expected: "compatible", why: "recursive record, items promote" },
  { reader: list("int"), writer: list("long"), expected: "TYPE_MISMATCH", why: "recursive record, items do not demote" },
  { reader: record("R", [{ name: "inner", type: record("Inner", [{ name: "x", type: "int" }, { name: "y", type: "int" }]) }]), writer: record("R", [{ name: "inner", type: record("Inner", [{ name: "x", type: "int" }]) }]), expected: "READER_FIELD_MISSING_DEFAULT_VALUE", why: "nested record field added without a default" },
];

const cell = (schema: unknown) => `\`${JSON.stringify(schema).replace(/\|/g, "\\|")}\``;

/** The table as docs/schemas-avro.md prints it. */
export function avroCasesTable(cases: AvroCase[] = AVRO_CASES): string {
  return [
    "| Reader | Writer | Result | Why |",
    "|---|---|---|---|",
    ...cases.map((c) => `| ${cell(c.reader)} | ${cell(c.writer)} | ${c.expected === "compatible" ? "compatible" : `**${c.expected}**`} | ${c.why} |`),
  ].join("\n");
}
