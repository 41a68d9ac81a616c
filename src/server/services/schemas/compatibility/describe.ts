// Differences in words people use: "property `customerId` became required" rather than
// REQUIRED_ATTRIBUTE_ADDED at #/required/customerId.
import type { Difference, DifferenceType } from "./schema-diff";

/** `data.items[].sku` for properties/data/properties/items/items/properties/sku; "" for the root. */
export function fieldLabel(path: string[]): string {
  let label = "";
  const append = (part: string) => {
    label += label && !part.startsWith("[") && !part.startsWith(" ") ? `.${part}` : part;
  };
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const next = path[i + 1];
    if ((segment === "properties" || segment === "required") && next !== undefined) {
      append(next);
      i++;
    } else if (segment === "items") {
      if (next !== undefined && /^\d+$/.test(next)) {
        append(`[${next}]`);
        i++;
      } else append("[]");
    } else if (segment === "additionalProperties") append("*");
    else if (segment === "additionalItems") append("[+]");
    else if (segment === "dependencies" && next !== undefined) {
      append(`(dependency of ${next})`);
      i++;
    } else {
      const combined = segment.match(/^(allOf|anyOf|oneOf)\/(\d+)$/);
      if (combined) append(` (${combined[1]} option ${Number(combined[2]) + 1})`);
    }
  }
  return label.trim();
}

const KEYWORDS: Record<string, string> = {
  MAX_LENGTH: "maxLength",
  MIN_LENGTH: "minLength",
  PATTERN: "pattern",
  MAXIMUM: "maximum",
  MINIMUM: "minimum",
  EXCLUSIVE_MAXIMUM: "exclusiveMaximum",
  EXCLUSIVE_MINIMUM: "exclusiveMinimum",
  MULTIPLE_OF: "multipleOf",
  MAX_PROPERTIES: "maxProperties",
  MIN_PROPERTIES: "minProperties",
  MAX_ITEMS: "maxItems",
  MIN_ITEMS: "minItems",
  MAX_CONTAINS: "maxContains",
  MIN_CONTAINS: "minContains",
};

const VERBS: Record<string, string> = {
  ADDED: "was added",
  REMOVED: "was removed",
  INCREASED: "increased",
  DECREASED: "decreased",
  CHANGED: "changed",
  EXPANDED: "grew to a multiple of the old value",
  REDUCED: "became a divisor of the old value",
};

function limitMessage(type: DifferenceType, where: string): string | null {
  const match = type.match(/^(.*)_(ADDED|REMOVED|INCREASED|DECREASED|CHANGED|EXPANDED|REDUCED)$/);
  const keyword = match && KEYWORDS[match[1]!];
  if (!match || !keyword) return null;
  return `${keyword} ${where ? `of \`${where}\` ` : ""}${VERBS[match[2]!]}`;
}

/** A sentence for one difference. `from`/`to` name the two schemas (e.g. "v2" and "the new schema"). */
export function describeDifference(difference: Difference): string {
  const field = fieldLabel(difference.path);
  const subject = field ? `\`${field}\`` : "the schema";
  const inField = field ? ` at \`${field}\`` : "";
  // For keyword differences (additionalProperties, unevaluatedItems, ...) the path ends at the keyword.
  const owner = fieldLabel(difference.path.slice(0, -1));
  const ofOwner = owner ? ` of \`${owner}\`` : "";
  switch (difference.type) {
    case "REQUIRED_ATTRIBUTE_ADDED":
      return `property ${subject} became required`;
    case "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED":
      return `property ${subject} became required (it has a default)`;
    case "REQUIRED_ATTRIBUTE_REMOVED":
      return `property ${subject} is no longer required`;
    case "TYPE_CHANGED":
      return `type of ${subject} changed from ${difference.from ?? "?"} to ${difference.to ?? "?"}`;
    case "TYPE_NARROWED":
      return `type of ${subject} narrowed from ${difference.from ?? "number"} to ${difference.to ?? "integer"}`;
    case "TYPE_EXTENDED":
      return `type of ${subject} widened from ${difference.from ?? "integer"} to ${difference.to ?? "number"}`;
    case "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL":
    case "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL":
    case "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL":
      return `a property (${subject}) was added to an open content model; declare \`additionalProperties: false\` to allow adding optional fields`;
    case "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL":
      return `property ${subject} was added with an empty schema (anything allowed)`;
    case "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
      return `optional property ${subject} was added`;
    case "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
      return `required property ${subject} was added without a default, so earlier data lacks it`;
    case "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL":
      return `required property ${subject} was added with a default`;
    case "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL":
      return `property ${subject} was removed (an open content model still accepts it)`;
    case "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL":
      return `property ${subject} was removed from a closed content model, so data that has it no longer validates`;
    case "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL":
      return `forbidden property ${subject} was removed`;
    case "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `property ${subject} was added within what additionalProperties/patternProperties allowed`;
    case "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `property ${subject} was added with a schema that additionalProperties/patternProperties did not allow, so earlier data may hold other values there`;
    case "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `property ${subject} was removed; additionalProperties/patternProperties still accept its values`;
    case "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `property ${subject} was removed and additionalProperties/patternProperties do not accept its values`;
    case "ADDITIONAL_PROPERTIES_REMOVED":
      return `additional properties${ofOwner} are no longer allowed`;
    case "ADDITIONAL_PROPERTIES_ADDED":
      return `additional properties${ofOwner} are now allowed`;
    case "ADDITIONAL_PROPERTIES_NARROWED":
      return `additional properties${ofOwner} are now restricted by a schema`;
    case "ADDITIONAL_PROPERTIES_EXTENDED":
      return `additional properties${ofOwner} are no longer restricted by a schema`;
    case "SCHEMA_ADDED":
      return `a schema was added for ${subject}, which allowed anything before`;
    case "SCHEMA_REMOVED":
      return `the schema for ${subject} was removed (anything is allowed now)`;
    case "ENUM_ARRAY_EXTENDED":
      return `enum of ${subject} gained values`;
    case "ENUM_ARRAY_NARROWED":
      return `enum of ${subject} lost values`;
    case "ENUM_ARRAY_CHANGED":
      return `allowed values (enum/const) of ${subject} changed`;
    case "COMBINED_TYPE_CHANGED":
      return `${subject} switched between allOf, anyOf and oneOf in a way that rejects earlier data`;
    case "COMBINED_TYPE_EXTENDED":
      return `${subject} switched to a more permissive combination (allOf/anyOf/oneOf)`;
    case "COMBINED_TYPE_SUBSCHEMAS_CHANGED":
      return `the options of ${subject} (allOf/anyOf/oneOf) changed: an earlier option has no compatible counterpart`;
    case "PRODUCT_TYPE_EXTENDED":
      return `${subject} must now also match an additional allOf schema`;
    case "PRODUCT_TYPE_NARROWED":
      return `${subject} no longer has to match every earlier allOf schema`;
    case "SUM_TYPE_EXTENDED":
      return `${subject} gained an anyOf/oneOf option`;
    case "SUM_TYPE_NARROWED":
      return `${subject} lost an anyOf/oneOf option`;
    case "NOT_TYPE_EXTENDED":
      return `${subject} now excludes more values (not)`;
    case "NOT_TYPE_NARROWED":
      return `${subject} now excludes fewer values (not)`;
    case "DEPENDENCY_ARRAY_ADDED":
    case "DEPENDENCY_SCHEMA_ADDED":
      return `a dependency was added${inField}`;
    case "DEPENDENCY_ARRAY_EXTENDED":
      return `the dependency${inField} now requires more properties`;
    case "DEPENDENCY_ARRAY_CHANGED":
      return `the dependency${inField} changed`;
    case "DEPENDENCY_ARRAY_NARROWED":
      return `the dependency${inField} requires fewer properties`;
    case "DEPENDENCY_ARRAY_REMOVED":
    case "DEPENDENCY_SCHEMA_REMOVED":
      return `a dependency was removed${inField}`;
    case "UNIQUE_ITEMS_ADDED":
      return `items of ${subject} must now be unique`;
    case "UNIQUE_ITEMS_REMOVED":
      return `items of ${subject} no longer have to be unique`;
    case "ITEM_ADDED_TO_OPEN_CONTENT_MODEL":
      return `positional item ${subject} was added to an array that accepted any further items; declare \`additionalItems: false\` (or \`items: false\` in 2020-12) to allow adding items`;
    case "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL":
      return `positional item ${subject} was added with an empty schema`;
    case "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL":
      return `positional item ${subject} was added`;
    case "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL":
      return `positional item ${subject} was removed (further items are still accepted)`;
    case "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL":
      return `positional item ${subject} was removed from an array that accepts no further items`;
    case "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL":
      return `forbidden positional item ${subject} was removed`;
    case "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
    case "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `positional item ${subject} changed within what additionalItems allowed`;
    case "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `positional item ${subject} was added with a schema that additionalItems did not allow`;
    case "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL":
      return `positional item ${subject} was removed and additionalItems does not accept its values`;
    case "ADDITIONAL_ITEMS_REMOVED":
      return `further array items${ofOwner} are no longer allowed`;
    case "ADDITIONAL_ITEMS_ADDED":
      return `further array items${ofOwner} are now allowed`;
    case "ADDITIONAL_ITEMS_NARROWED":
      return `further array items${ofOwner} are now restricted by a schema`;
    case "ADDITIONAL_ITEMS_EXTENDED":
      return `further array items${ofOwner} are no longer restricted by a schema`;
    case "UNEVALUATED_PROPERTIES_REMOVED":
    case "UNEVALUATED_ITEMS_REMOVED":
      return `unevaluated ${difference.type.includes("PROPERTIES") ? "properties" : "items"}${ofOwner} are no longer allowed`;
    case "UNEVALUATED_PROPERTIES_NARROWED":
    case "UNEVALUATED_ITEMS_NARROWED":
      return `unevaluated ${difference.type.includes("PROPERTIES") ? "properties" : "items"}${ofOwner} are now restricted by a schema`;
    case "UNEVALUATED_PROPERTIES_ADDED":
    case "UNEVALUATED_ITEMS_ADDED":
    case "UNEVALUATED_PROPERTIES_EXTENDED":
    case "UNEVALUATED_ITEMS_EXTENDED":
      return `unevaluated ${difference.type.includes("PROPERTIES") ? "properties" : "items"}${ofOwner} are now less restricted`;
    case "ID_CHANGED":
      return `$id${inField} changed`;
    case "TITLE_CHANGED":
      return `title${inField} changed`;
    case "DESCRIPTION_CHANGED":
      return `description${inField} changed`;
    case "DEFAULT_CHANGED":
      return `default${inField} changed`;
    default: {
      const keyword = limitMessage(difference.type, field);
      return keyword ?? `${difference.type.toLowerCase().replace(/_/g, " ")}${inField}`;
    }
  }
}
