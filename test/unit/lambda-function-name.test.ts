import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../src/errors/api-error.js";
import { functionNotFound, parseFunctionName } from "../../src/lambda/function-name.js";

const scope = { region: "us-east-1", accountId: "000000000000" };

describe("FunctionName labels", () => {
  test("a bare name, a partial ARN and a full ARN name the same function", () => {
    assert.deepEqual(parseFunctionName("hello"), { name: "hello" });
    assert.deepEqual(parseFunctionName("000000000000:function:hello"), { name: "hello", accountId: "000000000000" });
    assert.deepEqual(parseFunctionName("arn:aws:lambda:us-east-1:000000000000:function:hello"), {
      name: "hello",
      region: "us-east-1",
      accountId: "000000000000",
    });
  });

  test("a qualifier may follow any form, or come from ?Qualifier=", () => {
    assert.equal(parseFunctionName("hello:$LATEST").qualifier, "$LATEST");
    assert.equal(parseFunctionName("arn:aws:lambda:us-east-1:000000000000:function:hello:prod").qualifier, "prod");
    assert.equal(parseFunctionName("hello", "7").qualifier, "7");
    assert.equal(parseFunctionName("hello:7", "7").qualifier, "7");
  });

  test("a qualifier in the name that contradicts ?Qualifier= is InvalidParameterValueException", () => {
    assert.throws(() => parseFunctionName("hello:1", "2"), (err: ApiError) => {
      assert.equal(err.kind.type, "InvalidParameterValueException");
      assert.equal(err.message, "The derived qualifier from the function name does not match the specified qualifier.");
      return true;
    });
  });

  test("anything else is a ValidationException quoting the model's pattern", () => {
    for (const bad of ["", "has space", "a".repeat(65), "arn:aws:s3:::bucket", "hello:"]) {
      assert.throws(() => parseFunctionName(bad), (err: ApiError) => {
        assert.equal(err.kind.type, "ValidationException");
        assert.match(err.message, /^1 validation error detected: Value '.*' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
        return true;
      });
    }
  });

  test("not-found messages name the ARN that was asked for, qualifier included", () => {
    assert.equal(functionNotFound(scope, parseFunctionName("nope")).message, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
    assert.equal(
      functionNotFound(scope, parseFunctionName("arn:aws:lambda:eu-west-1:111122223333:function:nope:live")).message,
      "Function not found: arn:aws:lambda:eu-west-1:111122223333:function:nope:live",
    );
  });
});
