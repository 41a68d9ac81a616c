// Patterns and globs that users supply run on RE2 (re2js), whose matching time grows linearly with
// the input. V8's backtracking engine can take exponential time on a pattern such as `^(a+)+$`,
// and it runs on the one thread that serves every request.
import { RE2JS } from "re2js";

/** A user's pattern or glob that cannot be used; the message names it. */
export class UserPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserPatternError";
  }
}

/** What Ajv needs from a compiled pattern, and all that callers get. */
export interface UserRegExp {
  test(input: string): boolean;
  /** The pattern and flags: Ajv keys compiled patterns by toString(), so it must tell them apart. */
  toString(): string;
}

/** Kafka's own limit on a topic name, so any literal topic or group name is a usable glob. */
export const GLOB_MAX_LENGTH = 249;

const RE2_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

// Compiling costs far more than matching, and the same few patterns are checked again and again.
const compiled = new Map<string, UserRegExp | UserPatternError>();
const CACHE_SIZE = 1000;

function cached(key: string, compile: () => UserRegExp): UserRegExp {
  let entry = compiled.get(key);
  if (entry === undefined) {
    try {
      entry = compile();
    } catch (error) {
      if (!(error instanceof UserPatternError)) throw error;
      entry = error;
    }
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, entry);
  }
  if (entry instanceof UserPatternError) throw entry;
  return entry;
}

function compileRe2(source: string, flags: number, label: string): UserRegExp {
  try {
    const re = RE2JS.compile(source, flags);
    return { test: (input) => re.test(input), toString: () => label };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserPatternError(`The pattern ${label} is not supported: ${reason} (patterns run on RE2, which has no backreferences or lookaround)`);
  }
}

/**
 * A JavaScript regular expression (as JSON Schema's `pattern` holds), compiled for RE2. Throws a
 * UserPatternError naming the pattern when JavaScript cannot compile it or RE2 cannot run it.
 */
export function compileUserRegExp(pattern: string, flags = ""): UserRegExp {
  const label = `/${pattern}/${flags}`;
  return cached(label, () => {
    for (const flag of flags) {
      if (!(flag in RE2_FLAGS)) throw new UserPatternError(`The pattern ${label} uses the flag "${flag}", which is not supported.`);
    }
    try {
      // Only compiled, never run: JavaScript's verdict on the syntax stays the one users get.
      new RegExp(pattern, flags);
    } catch (error) {
      throw new UserPatternError(`The pattern ${label} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
    // translateRegExp turns `\k<name>` and `\8` into plain letters, so backreferences are caught first.
    const backreference = /\\(?:[1-9]|k<)/.exec(pattern.replace(/\\\\/g, ""));
    if (backreference) {
      throw new UserPatternError(`The pattern ${label} is not supported: it has a backreference (${backreference[0]}); patterns run on RE2, which has no backreferences or lookaround`);
    }
    const re2Flags = [...flags].reduce((all, flag) => all | RE2_FLAGS[flag]!, 0);
    return compileRe2(RE2JS.translateRegExp(pattern), re2Flags, label);
  });
}

/** Ajv's `code.regExp` option: Ajv compiles every `pattern` and `patternProperties` key with it. */
export const userRegExpEngine = Object.assign((pattern: string, flags: string) => compileUserRegExp(pattern, flags), { code: "userRegExp" });

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** Index of the `}` closing the `{` at `open`, and the top-level commas in between; null when unclosed. */
function braceExtent(glob: string, open: number): { close: number; commas: number[] } | null {
  const commas: number[] = [];
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return { close: i, commas };
    else if (c === "," && depth === 1) commas.push(i);
  }
  return null;
}

function globToRegExpSource(glob: string, whole: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\") {
      out += escapeRegExp(glob[++i] ?? "\\");
    } else if (c === "*") {
      if (glob[i + 1] === "*") {
        while (glob[i + 1] === "*") i++;
        out += ".*";
      } else out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      let j = i + 1;
      if (glob[j] === "^") j++;
      if (glob[j] === "]") j++;
      while (j < glob.length && glob[j] !== "]") j += glob[j] === "\\" ? 2 : 1;
      if (j >= glob.length) {
        out += "\\[";
        continue;
      }
      const negated = glob[i + 1] === "^";
      const members = glob.slice(i + (negated ? 2 : 1), j);
      let set = "";
      for (let k = 0; k < members.length; k++) {
        const m = members[k]!;
        if (m === "\\") set += escapeRegExp(members[++k] ?? "\\");
        else if (m === "-" && k > 0 && k < members.length - 1) set += "-";
        else set += escapeRegExp(m);
      }
      out += `[${negated ? "^" : ""}${set}]`;
      i = j;
    } else if (c === "{") {
      const extent = braceExtent(glob, i);
      // Like picomatch, a brace without a comma is literal text.
      if (!extent || extent.commas.length === 0) {
        out += "\\{";
        continue;
      }
      const bounds = [i, ...extent.commas, extent.close];
      const alternatives = bounds.slice(1).map((end, n) => globToRegExpSource(glob.slice(bounds[n]! + 1, end), whole));
      out += `(?:${alternatives.join("|")})`;
      i = extent.close;
    } else if (c === "(" || c === ")" || c === "|") {
      throw new UserPatternError(`The glob ${JSON.stringify(whole)} uses "${c}", which globs here do not support; use {a,b} for alternatives.`);
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/**
 * A glob (as picomatch reads it with `dot: true`) as a predicate on names: `*` any run without `/`,
 * `**` any run, `?` one character, `[a-z]`/`[^a-z]` a set, `{a,b}` alternatives, `\` escapes, and a
 * leading `!` negates. Throws a UserPatternError naming the glob when it is too long or unsupported.
 */
export function compileUserGlob(glob: string): (name: string) => boolean {
  if (glob.length > GLOB_MAX_LENGTH) {
    throw new UserPatternError(`The glob ${JSON.stringify(glob.slice(0, 40))}… is ${glob.length} characters; the limit is ${GLOB_MAX_LENGTH}.`);
  }
  const negated = glob.startsWith("!");
  const re = cached(`glob:${glob}`, () => compileRe2(`^(?:${globToRegExpSource(negated ? glob.slice(1) : glob, glob)})$`, 0, JSON.stringify(glob)));
  return (name) => re.test(name) !== negated;
}
