import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileSelectionPattern } from "../../src/dataplane/mapping/selection-pattern.js";
import { compileJavaRegex, translateJavaRegex, UnsupportedJavaRegexError } from "../../src/dataplane/mapping/java-regex.js";
import { javaSplit } from "../../src/dataplane/mapping/vtl-methods.js";

describe("compileSelectionPattern", () => {
  test("4\\d{2} matches 404 but neither 4040 nor 4: the whole value must match", () => {
    const matches = compileSelectionPattern("4\\d{2}");
    assert.equal(matches("404"), true);
    assert.equal(matches("4040"), false);
    assert.equal(matches("4"), false);
    assert.equal(matches("x404"), false);
  });

  test("patterns written for a substring need .* around it", () => {
    assert.equal(compileSelectionPattern("Not Found")("Error: Not Found"), false);
    assert.equal(compileSelectionPattern(".*Not Found.*")("Error: Not Found here"), true);
    assert.equal(compileSelectionPattern(".*four hundred.*")("Error: Raising four hundred from within the Lambda function"), true);
  });

  test(". does not match a newline, so .+ fails on a multi-line message", () => {
    const message = "Error\nstack line";
    assert.equal(compileSelectionPattern(".+")(message), false);
    assert.equal(compileSelectionPattern("(\\n|.)+")(message), true);
    assert.equal(compileSelectionPattern("(?s).+")(message), true);
    assert.equal(compileSelectionPattern("(?s)Error.*")(message), true);
  });

  test("(?m) does not turn the whole-value match into a per-line match", () => {
    assert.equal(compileSelectionPattern("(?m)^Error$")("Error\nmore"), false);
    assert.equal(compileSelectionPattern("(?m)^Error$\\n^more$")("Error\nmore"), true);
  });

  test("(?i) makes the match case-insensitive", () => {
    assert.equal(compileSelectionPattern("(?i).*not found.*")("NOT FOUND"), true);
    assert.equal(compileSelectionPattern(".*not found.*")("NOT FOUND"), false);
  });

  test("alternation is anchored as a whole", () => {
    const matches = compileSelectionPattern("400|404");
    assert.equal(matches("404"), true);
    assert.equal(matches("4040"), false);
    assert.equal(matches("1400"), false);
  });

  test("an invalid pattern never matches instead of throwing", () => {
    const matches = compileSelectionPattern("([a-z");
    assert.equal(matches("a"), false);
    assert.equal(matches("([a-z"), false);
  });

  test("the empty pattern only matches the empty value", () => {
    assert.equal(compileSelectionPattern("")(""), true);
    assert.equal(compileSelectionPattern("")("200"), false);
  });
});

describe("Java regex translation", () => {
  test("Java-only constructs are rewritten", () => {
    assert.equal(compileJavaRegex("\\Aab\\z").test("ab"), true);
    assert.equal(compileJavaRegex("\\Aab\\z").test("xab"), false);
    assert.equal(compileJavaRegex("a++b").test("aab"), true);
    assert.equal(compileJavaRegex("(?>ab)c").test("abc"), true);
    assert.equal(compileJavaRegex("\\Q1+1=2\\E").test("1+1=2"), true);
    assert.equal(compileJavaRegex("^\\p{Upper}\\p{Lower}+$").test("Hello"), true);
    assert.equal(compileJavaRegex("^[\\p{Digit}x]+$").test("1x2"), true);
    assert.equal(compileJavaRegex("^\\P{Digit}$").test("a"), true);
    assert.equal(compileJavaRegex("^\\h$").test("\t"), true);
    assert.equal(compileJavaRegex("(?i:abc)").test("ABC"), true);
    assert.equal(compileJavaRegex("(?x) a b  # comment\n c").test("abc"), true);
  });

  test("Unicode categories match beyond ASCII while POSIX classes stay ASCII, as in Java", () => {
    assert.equal(compileJavaRegex("^\\p{L}+$").test("été"), true);
    assert.equal(compileJavaRegex("^\\p{IsAlphabetic}+$").test("Ünï"), true);
    assert.equal(compileJavaRegex("^[\\p{Lu}\\d]+$").test("É1"), true);
    assert.equal(compileJavaRegex("^\\p{Alpha}+$").test("été"), false);
    assert.equal(compileSelectionPattern("\\p{L}+ \\d{3}")("Erreur 404"), true);
  });

  test("\\s is ASCII whitespace only, as in Java", () => {
    assert.equal(compileJavaRegex("^\\s$").test("\u00a0"), false);
    assert.equal(compileJavaRegex("^\\s$").test("\u000b"), true);
    assert.equal(compileJavaRegex("^\\S$").test("\u00a0"), true);
  });

  test("a ] right after [ is a literal, as in Java", () => {
    assert.equal(compileJavaRegex("^[]a]+$").test("]a"), true);
    assert.equal(compileJavaRegex("^[^]a]$").test("b"), true);
  });

  test("constructs JavaScript cannot express are reported", () => {
    assert.throws(() => translateJavaRegex("[a-z&&[^e]]"), UnsupportedJavaRegexError);
    assert.throws(() => translateJavaRegex("\\p{InGreek}"), UnsupportedJavaRegexError);
    assert.throws(() => translateJavaRegex("abc\\"), UnsupportedJavaRegexError);
  });
});

describe("javaSplit", () => {
  test("trailing empty strings are removed and captured groups are not returned", () => {
    assert.deepEqual(javaSplit("a,b,,c,,", ","), ["a", "b", "", "c"]);
    assert.deepEqual(javaSplit("a1b2c", "(\\d)"), ["a", "b", "c"]);
    assert.deepEqual(javaSplit(",a", ","), ["", "a"]);
  });

  test("an empty regex splits into characters without a leading empty string", () => {
    assert.deepEqual(javaSplit("abc", ""), ["a", "b", "c"]);
  });

  test("no match returns the whole string, even when it is empty", () => {
    assert.deepEqual(javaSplit("abc", ","), ["abc"]);
    assert.deepEqual(javaSplit("", ","), [""]);
  });

  test("a positive limit caps the pieces and a negative one keeps trailing empties", () => {
    assert.deepEqual(javaSplit("a,b,c", ",", 2), ["a", "b,c"]);
    assert.deepEqual(javaSplit("a,b,,", ",", -1), ["a", "b", "", ""]);
  });
});
