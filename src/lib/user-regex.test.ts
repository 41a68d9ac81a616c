import { describe, expect, it } from "vitest";
import { compileUserGlob, compileUserRegExp, GLOB_MAX_LENGTH, UserPatternError } from "./user-regex";

const hostileKey = `${"a".repeat(48)}!`;

describe("user regular expressions", () => {
  it("runs a pattern that backtracks catastrophically in JavaScript, with JavaScript's verdict", () => {
    const re = compileUserRegExp("^(a+)+$", "u");
    expect(re.test(hostileKey)).toBe(false);
    expect(re.test("aaaa")).toBe(true);
  });

  it("keeps JavaScript-only syntax working", () => {
    expect(compileUserRegExp("^\\u0041\\d+$", "u").test("A12")).toBe(true);
    expect(compileUserRegExp("^(?<year>\\d{4})-\\d{2}$", "u").test("2026-01")).toBe(true);
    expect(compileUserRegExp("^\\p{Lu}", "u").test("Été")).toBe(true);
    expect(compileUserRegExp("x\\/y").test("x/y")).toBe(true);
  });

  it("names a pattern with a backreference or lookaround in its error", () => {
    expect(() => compileUserRegExp("(a)\\1", "u")).toThrow(UserPatternError);
    expect(() => compileUserRegExp("(a)\\1", "u")).toThrow(/The pattern \/\(a\)\\1\/u is not supported: it has a backreference \(\\1\)/);
    expect(() => compileUserRegExp("(?<x>a)\\k<x>", "u")).toThrow(/\(\?<x>a\)\\k<x>.*backreference/);
    expect(() => compileUserRegExp("^a(?=b)", "u")).toThrow(/The pattern \/\^a\(\?=b\)\/u is not supported: .*\(\?=.*no backreferences or lookaround/);
    expect(() => compileUserRegExp("(?<!a)b", "u")).toThrow(/The pattern \/\(\?<!a\)b\/u is not supported/);
  });

  it("refuses what JavaScript refuses, naming the pattern", () => {
    expect(() => compileUserRegExp("a(", "u")).toThrow(/The pattern \/a\(\/u is not a valid regular expression/);
    expect(() => compileUserRegExp("a", "g")).toThrow(/flag "g"/);
  });

  it("treats an escaped backslash before a digit as no backreference", () => {
    expect(compileUserRegExp("^\\\\1$").test("\\1")).toBe(true);
  });
});

describe("user globs", () => {
  // Each row was checked against picomatch(glob, { dot: true }), which these globs used to run on.
  const table: [string, string[], string[]][] = [
    ["*", ["orders", ".hidden", "a.b-c"], ["a/b"]],
    ["pay*", ["payments", "pay"], ["orders", "a-pay"]],
    ["*.DLQ", ["x.DLQ", ".DLQ"], ["x.DLQ.archive", "a/b.DLQ", "x.dlq"]],
    ["error.*.*", ["error.orders.svc"], ["error.orders"]],
    ["a?c", ["abc"], ["ac", "a/c"]],
    ["{a,b}-*", ["a-x", "b-"], ["c-x", "{a,b}-x"]],
    ["a{b,{c,d}}", ["ab", "ac", "ad"], ["a"]],
    ["a{,b}", ["a", "ab"], ["ac"]],
    ["{a}", ["{a}"], ["a"]],
    ["{a,b", ["{a,b"], ["a"]],
    ["[a-c]1", ["b1"], ["d1", "-1"]],
    ["[^x]y", ["ay"], ["xy"]],
    ["a[b", ["a[b"], ["ab"]],
    ["\\*x", ["*x"], ["ax"]],
    ["a.b+c$^", ["a.b+c$^"], ["axbbc"]],
    ["**", ["a/b", "x"], []],
    ["!pay*", ["orders"], ["payments"]],
  ];

  it.each(table)("%s matches what picomatch matched", (glob, yes, no) => {
    const matches = compileUserGlob(glob);
    for (const name of yes) expect(matches(name), name).toBe(true);
    for (const name of no) expect(matches(name), name).toBe(false);
  });

  it("runs a glob with many wildcards on a long name", () => {
    expect(compileUserGlob(`${"*a".repeat(40)}*b`)("a".repeat(249))).toBe(false);
  });

  it("refuses a glob over the length limit, or with syntax it does not support, naming it", () => {
    expect(() => compileUserGlob("x".repeat(GLOB_MAX_LENGTH))).not.toThrow();
    expect(() => compileUserGlob("x".repeat(GLOB_MAX_LENGTH + 1))).toThrow(new RegExp(`^The glob "x+"… is ${GLOB_MAX_LENGTH + 1} characters; the limit is ${GLOB_MAX_LENGTH}\\.$`));
    expect(() => compileUserGlob("+(a|b)")).toThrow(/The glob "\+\(a\|b\)" uses "\("/);
  });
});
