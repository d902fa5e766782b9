import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  compileTemplate,
  MAX_FOREACH_ITERATIONS,
  TemplateError,
  type TemplateInput,
} from "../../src/dataplane/mapping/template-engine.js";

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body: JSON.stringify({
      id: "7",
      count: 0,
      flag: false,
      map: { foo: "bar", to: "test" },
      list: [{ foo: "bar" }],
      nested: { foo: [{ nested: "bar" }] },
      deep: { a: { b: "c" }, n: null },
      text: "It's a/b \"quoted\"",
      pets: [
        { name: "rex", price: 5 },
        { name: "tom", price: 20 },
      ],
    }),
    params: {
      path: { id: "p1" },
      querystring: { q: "x y", id: "from-query" },
      header: { Accept: "application/xml", "X-Tenant": "acme" },
    },
    context: {
      apiId: "a1b2c3d4e5",
      httpMethod: "POST",
      stage: "dev",
      requestId: "req-1",
      resourceId: "res1",
      resourcePath: "/items/{id}",
      identity: { sourceIp: "203.0.113.9", userAgent: "curl/8", apiKey: "k" },
      authorizer: { principalId: "user-1", claims: { sub: "s-1" } },
    },
    stageVariables: { env: "dev", "url": "https://backend.example" },
    ...overrides,
  };
}

function render(source: string, overrides: Partial<TemplateInput> = {}): string {
  return compileTemplate(source).render(input(overrides)).output;
}

describe("$input", () => {
  test("$input.body is the raw body, and an empty body renders as {}", () => {
    assert.equal(render("$input.body", { body: "raw text" }), "raw text");
    assert.equal(render("$input.body", { body: "" }), "{}");
  });

  test("$input.json serialises the JSONPath result as JSON text", () => {
    assert.equal(render("$input.json('$.id')"), '"7"');
    assert.equal(render("$input.json('$.map')"), '{"foo":"bar","to":"test"}');
    assert.equal(render("$input.json('$.pets[*].name')"), '["rex","tom"]');
    assert.equal(render("$input.json('$.count')"), "0");
    assert.equal(render("$input.json('$')", { body: "" }), "{}");
  });

  test("$input.json renders nothing for no match or a body that is not JSON", () => {
    assert.equal(render("[$input.json('$.missing')]"), "[]");
    assert.equal(render("[$input.json('$.a')]", { body: "not json" }), "[]");
  });

  test("$input.path prints maps Java-style and lists as JSON", () => {
    assert.equal(render("$input.path('$.map')"), "{foo=bar, to=test}");
    assert.equal(render("$input.path('$.list')"), '[{"foo":"bar"}]');
    assert.equal(render("$input.path('$.nested')"), '{foo=[{"nested":"bar"}]}');
    assert.equal(render("$input.path('$.deep')"), "{a={b=c}, n=null}");
  });

  test("$input.path values are native: properties, size() and #foreach work on them", () => {
    assert.equal(render("$input.path('$.map').foo $input.path('$.pets').size() $input.path('$.pets')[1].name"), "bar 2 tom");
    assert.equal(render("#foreach($p in $input.path('$.pets'))$p.name=$p.price;#end"), "rex=5;tom=20;");
    assert.equal(render("$input.path('$.count') $input.path('$.flag')"), "0 false");
  });

  test("a null reference renders as empty text, e.g. {\"body\": } for a missing path", () => {
    assert.equal(render('{"body": $input.path(\'$.x\')}'), '{"body": }');
    assert.equal(render("[$nothing][$nothing.at.all][$!quiet][${braced}]"), "[][][][]");
    assert.equal(render("[$input.path('$.deep.n')]"), "[]");
  });

  test("a missing value equals both $null and the empty string", () => {
    assert.equal(render("#if($input.path('$.x') == \"\")empty#end #if($input.path('$.x') == $null)null#end"), "empty null");
    assert.equal(render("#if($input.path('$.id') == \"\")empty#{else}set#end"), "set");
    assert.equal(render("#if($input.params('nope') == \"\")absent#end"), "absent");
  });

  test("#if follows Velocity truthiness: only false and null are false", () => {
    assert.equal(render("#if($input.path('$.count'))zero-is-true#end"), "zero-is-true");
    assert.equal(render("#if($input.path('$.flag'))t#{else}f#end"), "f");
    assert.equal(render("#if($input.path('$.missing'))t#{else}f#end"), "f");
    assert.equal(render("#if(!$input.path('$.missing') && $input.path('$.id') == '7')ok#end"), "ok");
  });

  test("$input.params() is the map of path, querystring and header parameters", () => {
    assert.equal(
      render("$input.params()"),
      "{path={id=p1}, querystring={q=x y, id=from-query}, header={Accept=application/xml, X-Tenant=acme}}",
    );
    assert.equal(render("$input.params().header.get('Accept')|$input.params().querystring.get('q')|$input.params().path.get('id')"), "application/xml|x y|p1");
    assert.equal(render("[$input.params().header.get('accept')]"), "[]");
  });

  test("$input.params('x') searches path, then querystring, then header, else empty", () => {
    assert.equal(render("$input.params('id')"), "p1");
    assert.equal(render("$input.params('q')"), "x y");
    assert.equal(render("$input.params('X-Tenant') $input.params('x-tenant')"), "acme acme");
    assert.equal(render("[$input.params('absent')]"), "[]");
  });
});

describe("$context and $stageVariables", () => {
  test("context values are reachable by path", () => {
    assert.equal(render("$context.apiId $context.identity.sourceIp $context.authorizer.claims.sub"), "a1b2c3d4e5 203.0.113.9 s-1");
    assert.equal(render("[$context.identity.user]"), "[]");
  });

  test("stage variables are reachable in all three notations", () => {
    assert.equal(render("$stageVariables.env|$stageVariables['env']|${stageVariables.env}|$stageVariables.get('url')"), "dev|dev|dev|https://backend.example");
    assert.equal(render("[$stageVariables.missing]"), "[]");
  });

  test("a template writing into $context leaves the caller's context untouched", () => {
    const data = input();
    compileTemplate("#set($context.identity.sourceIp = 'x')$context.identity.put('apiKey', 'y')").render(data);
    assert.deepEqual(data.context["identity"], { sourceIp: "203.0.113.9", userAgent: "curl/8", apiKey: "k" });
  });
});

describe("overrides", () => {
  test("request overrides set with #set are captured", () => {
    const result = compileTemplate(
      [
        "#set($context.requestOverride.header.X-Tenant = $input.params('X-Tenant'))",
        '#set($context.requestOverride.querystring.limit = "10")',
        "#set($context.requestOverride.path.id = $input.path('$.id'))",
        "body",
      ].join("\n"),
    ).render(input());
    assert.deepEqual(result.overrides.request, { header: { "X-Tenant": "acme" }, querystring: { limit: "10" }, path: { id: "7" } });
    assert.equal(result.output.trim(), "body");
  });

  test("response overrides capture headers and an integer status", () => {
    const result = compileTemplate(
      "#set($context.responseOverride.status = 201)#set($context.responseOverride.header.Location = \"/items/$input.path('$.id')\")",
    ).render(input());
    assert.deepEqual(result.overrides.response, { header: { Location: "/items/7" }, status: 201 });
  });

  test("a status override outside 100..599 or not an integer is ignored", () => {
    for (const value of ["600", "99", "'abc'", "20.5", "$input.path('$.missing')"]) {
      const result = compileTemplate(`#set($context.responseOverride.status = ${value})`).render(input());
      assert.equal(result.overrides.response.status, undefined, value);
    }
    assert.equal(compileTemplate("#set($context.responseOverride.status = '404')").render(input()).overrides.response.status, 404);
  });

  test("overrides are empty when the template sets none, and are fresh for every render", () => {
    const template = compileTemplate("#if($input.path('$.id') == '7')#set($context.requestOverride.header.A = 'b')#end");
    assert.deepEqual(template.render(input()).overrides.request.header, { A: "b" });
    assert.deepEqual(template.render(input({ body: "{}" })).overrides, {
      request: { header: {}, querystring: {}, path: {} },
      response: { header: {} },
    });
  });
});

describe("Velocity directives", () => {
  test("#foreach stops after 1000 iterations", () => {
    assert.equal(render("#set($n = 0)#foreach($i in [1..5000])#set($n = $n + 1)#end$n"), String(MAX_FOREACH_ITERATIONS));
    const list = JSON.stringify({ items: Array.from({ length: 1500 }, (_, i) => i) });
    assert.equal(render("#set($n = 0)#foreach($i in $input.path('$.items'))#set($n = $i)#end$n", { body: list }), "999");
  });

  test("$foreach.hasNext, count and index are available, also in nested loops", () => {
    assert.equal(render("#foreach($x in ['a','b'])$foreach.index$x#if($foreach.hasNext),#end#end"), "0a,1b");
    assert.equal(render("#foreach($x in [1,2])#foreach($y in ['a','b'])$x$y$foreach.count #end#end"), "1a1 1b2 2a1 2b2 ");
  });

  test("#break ends the loop at once, also from inside an #if and in nested loops (Velocity semantics)", () => {
    assert.equal(render("#foreach($i in [1,2,3])#if($i == 2)#break#end$i#end"), "1");
    assert.equal(render("#foreach($i in [1,2,3])$i#if($i == 2)#break#end-#end"), "1-2");
    assert.equal(render("#foreach($a in [1,2,3])#foreach($b in [7,8,9])#if($b == 8)#break#end$a$b #end#end"), "17 27 37 ");
    assert.equal(render("#foreach($i in [1,2])$i#end after"), "12 after", "a loop without #break is untouched");
    assert.equal(render("#foreach($i in [1,2,3])#if($i == 2)#break#end$i#end, then $input.params('id')"), "1, then p1", "rendering goes on after the loop");
  });

  test("#foreach over a map iterates its values", () => {
    assert.equal(render("#foreach($v in $input.path('$.map'))$v;#end"), "bar;test;");
  });

  test("#set, arithmetic and comparisons follow Velocity", () => {
    assert.equal(render("#set($a = 7)#set($b = 2)$a / $b = #set($c = $a / $b)$c, #set($d = $a % $b)$d"), "7 / 2 = 3, 1");
    assert.equal(render("#if($input.path('$.pets')[0].price < 10)cheap#end"), "cheap");
    assert.equal(render("#if('1' == 1)same#end"), "same");
  });

  test("macros work", () => {
    assert.equal(render("#macro(greet $who)hi $who#end#greet('you')"), "hi you");
  });
});

describe("Java methods on values", () => {
  test("string methods behave like java.lang.String", () => {
    assert.equal(render("$input.path('$.id').length()"), "1");
    assert.equal(render("$input.path('$.text').toLowerCase()"), 'it\'s a/b "quoted"');
    assert.equal(render("$input.path('$.text').substring(0, 4)|$input.path('$.text').substring(5)"), 'It\'s|a/b "quoted"');
    assert.equal(render("$input.path('$.text').contains('a/b') $input.path('$.text').startsWith('It') $input.path('$.text').indexOf('a')"), "true true 5");
    assert.equal(render("$input.path('$.text').replaceAll('[aeiou]', '_')"), 'It\'s _/b "q__t_d"');
    assert.equal(render("#set($s = 'a1b22c')$s.replaceAll('(\\d+)', '<$1>') $s.replaceFirst('\\d', '#')"), "a<1>b<22>c a#b22c");
    assert.equal(render("#set($s = 'a,b,,c,,')$s.split(',') $s.split(',').size()"), "[a, b, , c] 4");
    assert.equal(render("#set($s = '  x  ')[$s.trim()] $s.isEmpty() $s.equals('  x  ') $s.matches('\\s*x\\s*')"), "[x] false true true");
  });

  test("the documented replaceAll that undoes escapeJavaScript's \\' works", () => {
    assert.equal(render("$util.escapeJavaScript(\"it's\").replaceAll(\"\\\\'\",\"'\")"), "it's");
  });

  test("list and map methods behave like java.util", () => {
    assert.equal(render("$input.path('$.map').keySet() $input.path('$.map').size() $input.path('$.map').containsKey('foo') $input.path('$.map').get('to')"), "[foo, to] 2 true test");
    assert.equal(render("#foreach($e in $input.path('$.map').entrySet())$e.key=$e.getValue();#end"), "foo=bar;to=test;");
    assert.equal(render("#set($l = [])#set($ignored = $l.add('a'))$l.add('b') $l $l.size() $l.get(1) $l.contains('a') $l.isEmpty()"), "true [a, b] 2 b true false");
    assert.equal(render("#set($m = {})#set($ignored = $m.put('k', 'v'))$m $m.k"), "{k=v} v");
  });

  test("an unknown method evaluates to null instead of reaching JavaScript built-ins", () => {
    assert.equal(render("[$input.path('$.id').repeat(3)][$input.path('$.map').constructor][$input.path('$.list').at(0)]"), "[][][]");
  });

  test("out-of-range substring fails the render like a Java exception", () => {
    assert.throws(() => render("$input.path('$.id').substring(5)"), TemplateError);
  });
});

describe("$util", () => {
  test("$util functions are available to templates", () => {
    assert.equal(render("$util.escapeJavaScript($input.path('$.text'))"), 'It\\\'s a\\/b \\"quoted\\"');
    assert.equal(render("$util.urlEncode('x=a+b') $util.urlDecode('a+b%3D') $util.base64Encode('hé') $util.base64Decode('aMOp')"), "x%3Da%2Bb a b= aMOp hé");
    assert.equal(render("$util.parseJson('{\"key2\":{\"arr\":[1,2]}}').key2.arr[1]"), "2");
    assert.equal(render("[$util.escapeJavaScript($input.path('$.missing'))]"), "[]");
  });

  test("$util.parseJson of invalid JSON fails the render", () => {
    assert.throws(() => render("$util.parseJson('nope')"), TemplateError);
  });
});

describe("errors", () => {
  test("a template that does not parse throws TemplateError at compile time", () => {
    assert.throws(() => compileTemplate("#if($x"), TemplateError);
    assert.throws(() => compileTemplate("#foreach($i in $list)$i"), TemplateError);
    assert.throws(() => compileTemplate("a#end b"), TemplateError);
    assert.equal(compileTemplate("## #if( in a comment\n#* #foreach *#ok#[[#if]]#").render(input()).output, "ok#if");
  });

  test("a failing interpolated string throws TemplateError, never a raw exception", () => {
    assert.throws(() => render('#set($x = "#if(")$x'), (err: unknown) => err instanceof TemplateError);
  });

  test("runtime failures of any kind surface as TemplateError", () => {
    assert.throws(() => render("#macro(loop)#loop()#end#loop()"), TemplateError);
    assert.throws(() => render("$util.urlDecode('100%')"), TemplateError);
    assert.throws(() => render("$input.path('$.id').replaceAll('(', 'x')"), TemplateError);
    assert.throws(() => render("#set($m = {})#set($ignored = $m.put('self', $m))#set($context.responseOverride.header.X = $m)"), TemplateError);
  });

  test("built-in objects cannot be modified by a template", () => {
    assert.throws(() => render("#set($util.escapeJavaScript = 'x')"), TemplateError);
    assert.equal(render("$util.urlEncode('a b')"), "a+b");
  });

  test("runaway nested loops are stopped with a TemplateError", () => {
    assert.throws(() => render("#foreach($a in [1..1000])#foreach($b in [1..1000])#end#end"), TemplateError);
  });
});

test("the console's Method Request passthrough template renders valid JSON", () => {
  const source = `#set($allParams = $input.params())
{
"body-json" : $input.json('$'),
"params" : {
#foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
"$type" : {
    #foreach($paramName in $params.keySet())
    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
        #if($foreach.hasNext),#end
    #end
}
    #if($foreach.hasNext),#end
#end
},
"stage-variables" : {
#foreach($key in $stageVariables.keySet())
"$key" : "$util.escapeJavaScript($stageVariables.get($key))"
    #if($foreach.hasNext),#end
#end
},
"context" : {
    "api-id" : "$context.apiId",
    "api-key" : "$context.identity.apiKey",
    "http-method" : "$context.httpMethod",
    "stage" : "$context.stage",
    "source-ip" : "$context.identity.sourceIp",
    "user-agent" : "$context.identity.userAgent",
    "request-id" : "$context.requestId",
    "resource-id" : "$context.resourceId",
    "resource-path" : "$context.resourcePath"
    }
}`;
  const template = compileTemplate(source);
  const data = input();
  const parsed = JSON.parse(template.render(data).output) as Record<string, unknown>;
  assert.deepEqual(parsed["body-json"], JSON.parse(data.body));
  assert.deepEqual(parsed["params"], {
    path: { id: "p1" },
    querystring: { q: "x y", id: "from-query" },
    header: { Accept: "application/xml", "X-Tenant": "acme" },
  });
  assert.deepEqual(parsed["stage-variables"], { env: "dev", url: "https://backend.example" });
  assert.deepEqual(parsed["context"], {
    "api-id": "a1b2c3d4e5",
    "api-key": "k",
    "http-method": "POST",
    stage: "dev",
    "source-ip": "203.0.113.9",
    "user-agent": "curl/8",
    "request-id": "req-1",
    "resource-id": "res1",
    "resource-path": "/items/{id}",
  });

  const empty = JSON.parse(
    template.render(input({ body: "", params: { path: {}, querystring: {}, header: {} }, stageVariables: {} })).output,
  ) as Record<string, unknown>;
  assert.deepEqual(empty["body-json"], {});
  assert.deepEqual(empty["params"], { path: {}, querystring: {}, header: {} });
  assert.deepEqual(empty["stage-variables"], {});

  // Sanity check of the per-request cost (no assertion on timing: the machine is shared).
  const rounds = 2000;
  for (let i = 0; i < rounds; i++) template.render(data);
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) template.render(data);
  const micros = Number(process.hrtime.bigint() - started) / 1000 / rounds;
  const small = compileTemplate('{"id": "$input.params(\'id\')", "name": $input.json(\'$.map.foo\')}');
  for (let i = 0; i < rounds; i++) small.render(data);
  const smallStarted = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) small.render(data);
  const smallMicros = Number(process.hrtime.bigint() - smallStarted) / 1000 / rounds;
  console.log(`render: passthrough template ${micros.toFixed(1)} µs, small template ${smallMicros.toFixed(1)} µs`);
});
