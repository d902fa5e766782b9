import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { destinationFile } from "../../src/dataplane/stage-access-log.js";

describe("stage access log destinations", () => {
  test("a log group (with or without :*) or a Firehose stream becomes a file under the logs directory", () => {
    assert.equal(destinationFile("/data/logs", "arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigateway/pets:*", false), "/data/logs/aws/apigateway/pets.log");
    assert.equal(destinationFile("/data/logs", "arn:aws:logs:us-east-1:000000000000:log-group:pets", true), "/data/logs/pets/Canary.log");
    assert.equal(destinationFile("/data/logs", "arn:aws:firehose:us-east-1:000000000000:deliverystream/amazon-apigateway-pets", false), "/data/logs/amazon-apigateway-pets.log");
  });

  test("nothing escapes the logs directory; other ARNs have no file", () => {
    assert.equal(destinationFile("/data/logs", "arn:aws:logs:us-east-1:000000000000:log-group:../../etc/cron", false), "/data/logs/etc/cron.log");
    assert.equal(destinationFile("/data/logs", "arn:aws:s3:::bucket", false), undefined);
  });
});
