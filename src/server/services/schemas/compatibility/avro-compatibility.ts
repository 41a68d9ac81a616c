// Avro schema resolution between a reader and a writer schema, as the Avro specification defines it
// and Avro's Java SchemaCompatibility checks it (which Confluent's registry applies): can data
// written with `writer` be read with `reader`? Every problem is named with the type Avro gives it
// (TYPE_MISMATCH, READER_FIELD_MISSING_DEFAULT_VALUE, ...), where it is, and in words. The
// compatible changes met on the way (a field added with a default, a promotion) are reported too,
// for the version diff.
import type avro from "avsc";

export const AVRO_INCOMPATIBILITY_TYPES = ["NAME_MISMATCH", "FIXED_SIZE_MISMATCH", "MISSING_ENUM_SYMBOLS", "READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH", "MISSING_UNION_BRANCH"] as const;
export type AvroIncompatibilityType = (typeof AVRO_INCOMPATIBILITY_TYPES)[number];
export type AvroCompatibleChange = "FIELD_ADDED_WITH_DEFAULT" | "FIELD_REMOVED" | "FIELD_READ_BY_ALIAS" | "TYPE_PROMOTED" | "ENUM_SYMBOLS_ADDED" | "ENUM_DEFAULT_USED" | "UNION_BRANCH_ADDED";

export interface AvroFinding {
  type: AvroIncompatibilityType | AvroCompatibleChange;
  compatible: boolean;
  /** Where in the reader's schema, as Avro's Java library prints it: "/fields/1/type". */
  location: string;
  message: string;
}

/** Promotions the specification allows: the writer's type (key) is readable as each listed reader type. */
const PROMOTIONS: Record<string, string[]> = {
  int: ["long", "float", "double"],
  long: ["float", "double"],
  float: ["double"],
  string: ["bytes"],
  bytes: ["string"],
};

const NAMED = new Set(["record", "error", "enum", "fixed"]);

function kind(type: avro.Type): string {
  const name = type.typeName;
  if (name.startsWith("union")) return "union";
  if (name.startsWith("logical:")) return kind((type as unknown as { underlyingType: avro.Type }).underlyingType);
  return name === "error" ? "record" : name;
}

const shortName = (full: string | undefined) => (full ?? "").split(".").pop()!;

/** "record Payment", "int", "array<string>", "union [null, string]": a type as people read it. */
export function describeAvroType(type: avro.Type): string {
  const k = kind(type);
  if (NAMED.has(k)) return `${k} ${shortName(type.name)}`;
  if (k === "array") return `array<${describeAvroType((type as unknown as { itemsType: avro.Type }).itemsType)}>`;
  if (k === "map") return `map<${describeAvroType((type as unknown as { valuesType: avro.Type }).valuesType)}>`;
  if (k === "union") return `union [${branches(type).map(describeAvroType).join(", ")}]`;
  return k;
}

const branches = (type: avro.Type) => (type as unknown as { types: avro.Type[] }).types;
const fieldsOf = (type: avro.Type) => (type as unknown as { fields: avro.types.Field[] }).fields;

/** Reader names match when their unqualified names are equal or a reader alias is the writer's full name (Java's rule). */
function namesMatch(reader: avro.Type, writer: avro.Type): boolean {
  if (shortName(reader.name) === shortName(writer.name)) return true;
  return ((reader as unknown as { aliases?: string[] }).aliases ?? []).includes(writer.name ?? "");
}

interface Where {
  /** Java's location in the reader's schema. */
  location: string[];
  /** The field path for people: "customer.address.city", "items[]". */
  field: string;
}

const at = (where: Where) => (where.field ? `field \`${where.field}\`` : "the value");
const enter = (where: Where, location: string[], field?: string): Where => ({ location: [...where.location, ...location], field: field ?? where.field });

class Checker {
  readonly findings: AvroFinding[] = [];
  /** Named pairs being compared: a recursive type meets itself again and is assumed to match there. */
  private readonly inProgress = new Set<string>();

  private add(type: AvroFinding["type"], compatible: boolean, where: Where, message: string) {
    this.findings.push({ type, compatible, location: `/${where.location.join("/")}`, message });
  }

  check(reader: avro.Type, writer: avro.Type, where: Where): boolean {
    const rk = kind(reader);
    const wk = kind(writer);
    if (wk === "union") {
      // Every branch the writer may have written must be readable.
      let ok = true;
      branches(writer).forEach((branch) => {
        if (rk === "union" ? this.readableByUnion(reader, branch, where, false) : this.quietly(reader, branch)) return;
        ok = false;
        this.add("MISSING_UNION_BRANCH", false, where, `${at(where)}: the writer's union branch ${describeAvroType(branch)} cannot be read by the reader's ${describeAvroType(reader)}`);
      });
      if (ok && rk === "union") {
        const added = branches(reader).filter((r) => !branches(writer).some((w) => this.quietly(r, w)));
        if (added.length > 0) this.add("UNION_BRANCH_ADDED", true, where, `${at(where)}: union branch ${added.map(describeAvroType).join(", ")} added`);
      }
      return ok;
    }
    if (rk === "union") {
      if (this.readableByUnion(reader, writer, where, true)) return true;
      this.add("TYPE_MISMATCH", false, where, `${at(where)}: ${describeAvroType(writer)} -> ${describeAvroType(reader)} cannot be read (no branch of the union reads it)`);
      return false;
    }
    if (rk !== wk) {
      if (PROMOTIONS[wk]?.includes(rk)) {
        this.add("TYPE_PROMOTED", true, where, `${at(where)}: ${wk} -> ${rk} is promoted when read`);
        return true;
      }
      this.add("TYPE_MISMATCH", false, where, `${at(where)}: ${describeAvroType(writer)} -> ${describeAvroType(reader)} cannot be read`);
      return false;
    }
    if (NAMED.has(rk) && !namesMatch(reader, writer)) {
      this.add("NAME_MISMATCH", false, enter(where, ["name"]), `${at(where)}: ${rk} name ${shortName(reader.name)} does not match the writer's ${shortName(writer.name)} (nor does an alias)`);
      return false;
    }
    switch (rk) {
      case "record":
        return this.records(reader, writer, where);
      case "enum":
        return this.enums(reader, writer, where);
      case "fixed": {
        const rs = (reader as unknown as { size: number }).size;
        const ws = (writer as unknown as { size: number }).size;
        if (rs === ws) return true;
        this.add("FIXED_SIZE_MISMATCH", false, enter(where, ["size"]), `${at(where)}: fixed ${shortName(reader.name)} has size ${rs}; the writer's has ${ws}`);
        return false;
      }
      case "array":
        return this.check((reader as unknown as { itemsType: avro.Type }).itemsType, (writer as unknown as { itemsType: avro.Type }).itemsType, enter(where, ["items"], `${where.field}[]`));
      case "map":
        return this.check((reader as unknown as { valuesType: avro.Type }).valuesType, (writer as unknown as { valuesType: avro.Type }).valuesType, enter(where, ["values"], `${where.field}{}`));
      default:
        return true;
    }
  }

  /** Whether some branch of the reader's union reads `writer`; the first that does is the one Avro uses. */
  private readableByUnion(reader: avro.Type, writer: avro.Type, where: Where, report: boolean): boolean {
    const types = branches(reader);
    // Avro picks an exact match first, then the first branch a promotion (or name) reaches.
    const exact = types.findIndex((r) => kind(r) === kind(writer) && (!NAMED.has(kind(r)) || namesMatch(r, writer)));
    const index = exact >= 0 ? exact : types.findIndex((r) => this.quietly(r, writer));
    if (index < 0) return false;
    if (report) return this.check(types[index]!, writer, enter(where, [String(index)]));
    return this.quietly(types[index]!, writer);
  }

  /** Compatibility without findings (to choose union branches). */
  private quietly(reader: avro.Type, writer: avro.Type): boolean {
    const probe = new Checker();
    for (const key of this.inProgress) probe.inProgress.add(key);
    return probe.check(reader, writer, { location: [], field: "" });
  }

  private records(reader: avro.Type, writer: avro.Type, where: Where): boolean {
    const key = `${reader.name}\u0000${writer.name}`;
    if (this.inProgress.has(key)) return true;
    this.inProgress.add(key);
    let ok = true;
    const writerFields = fieldsOf(writer);
    const used = new Set<string>();
    fieldsOf(reader).forEach((field, index) => {
      const path = where.field ? `${where.field}.${field.name}` : field.name;
      const fieldWhere = enter(where, ["fields", String(index)], path);
      let source = writerFields.find((w) => w.name === field.name);
      if (!source) {
        source = writerFields.find((w) => (field.aliases ?? []).includes(w.name));
        if (source) this.add("FIELD_READ_BY_ALIAS", true, fieldWhere, `${at(fieldWhere)} reads the writer's field \`${source.name}\` through its alias`);
      }
      if (!source) {
        if (field.defaultValue() !== undefined) this.add("FIELD_ADDED_WITH_DEFAULT", true, fieldWhere, `${at(fieldWhere)} is not in the writer's schema; its default ${field.type.toString(field.defaultValue())} is used`);
        else {
          ok = false;
          this.add("READER_FIELD_MISSING_DEFAULT_VALUE", false, fieldWhere, `${at(fieldWhere)} has no default and is not in the writer's schema, so its data has no value for it`);
        }
        return;
      }
      used.add(source.name);
      if (!this.check(field.type, source.type, enter(fieldWhere, ["type"]))) ok = false;
    });
    for (const w of writerFields) {
      if (!used.has(w.name)) this.add("FIELD_REMOVED", true, where, `field \`${where.field ? `${where.field}.` : ""}${w.name}\` of the writer's data is not in the reader's schema and is skipped`);
    }
    this.inProgress.delete(key);
    return ok;
  }

  private enums(reader: avro.Type, writer: avro.Type, where: Where): boolean {
    const readerSymbols = (reader as unknown as { symbols: string[] }).symbols;
    const writerSymbols = (writer as unknown as { symbols: string[] }).symbols;
    const missing = writerSymbols.filter((s) => !readerSymbols.includes(s));
    const added = readerSymbols.filter((s) => !writerSymbols.includes(s));
    if (added.length > 0) this.add("ENUM_SYMBOLS_ADDED", true, enter(where, ["symbols"]), `${at(where)}: enum ${shortName(reader.name)} gains ${added.join(", ")}`);
    if (missing.length === 0) return true;
    const fallback = (reader as unknown as { default?: string }).default;
    if (fallback !== undefined) {
      this.add("ENUM_DEFAULT_USED", true, enter(where, ["symbols"]), `${at(where)}: enum ${shortName(reader.name)} lacks ${missing.join(", ")}; those are read as its default ${fallback}`);
      return true;
    }
    this.add("MISSING_ENUM_SYMBOLS", false, enter(where, ["symbols"]), `${at(where)}: enum ${shortName(reader.name)} lacks the writer's ${missing.join(", ")} and has no default`);
    return false;
  }
}

/** What reading data written with `writer` using `reader` meets: incompatibilities and compatible changes, in schema order. */
export function avroResolution(reader: avro.Type, writer: avro.Type): AvroFinding[] {
  const checker = new Checker();
  checker.check(reader, writer, { location: [], field: "" });
  return checker.findings;
}

/** Only the problems: an empty list means the reader can read everything the writer writes. */
export function avroIncompatibilities(reader: avro.Type, writer: avro.Type): AvroFinding[] {
  return avroResolution(reader, writer).filter((f) => !f.compatible);
}
