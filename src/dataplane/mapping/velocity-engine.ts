// velocityjs with the semantics API Gateway's Velocity (on the JVM) has: null references print as nothing,
// Java truthiness and equality, Java methods on values, #foreach capped at 1000 iterations.

import { Compile, parse } from "velocityjs";
import { invokeValueMethod } from "./vtl-methods.js";
import { isHostObject, isTruthy, isVtlMap, javaList, printValue, toJavaString, vtlEquals, type VtlMap } from "./vtl-values.js";

/** §12: "#foreach ≤ 1000 iterations"; like Velocity's directive.foreach.maxloops the loop just stops there. */
export const MAX_FOREACH_ITERATIONS = 1000;
/** Bounds nested loops (1000 × 1000 × …) so one request cannot hold the event loop for long. */
export const MAX_ITERATIONS_PER_RENDER = 250_000;
const STRING_CACHE_LIMIT = 500;

/** A render ran into one of the limits above. */
export class VelocityLimitError extends Error {}

/** The template is not valid VTL. */
export class VelocitySyntaxError extends Error {}

// The velocityjs AST nodes this module inspects (velocityjs does not export its node types).
interface AstNode {
  type: string;
}
interface ReferenceNode extends AstNode {
  type: "references";
  id: string;
  prue?: boolean;
  path?: PathNode[];
}
type PathNode =
  | { type: "property"; id: string }
  | { type: "method"; id: string; args?: AstNode[] | false }
  | { type: "index"; id: AstNode };
interface ForeachNode extends AstNode {
  type: "foreach";
  from: AstNode;
  to: string;
}
interface ConditionNode extends AstNode {
  condition?: AstNode;
}
interface MathNode extends AstNode {
  type: "math";
  operator: string;
  expression: AstNode[];
}
interface ArrayNode extends AstNode {
  type: "array";
  value: Array<AstNode | string | number>;
  isRange?: boolean;
}

export type Asts = ReturnType<typeof parse>;

export interface SharedState {
  /** Parsed interpolated strings ("/items/$id"), which velocityjs would otherwise re-parse on every evaluation. */
  strings: Map<string, Asts>;
}

/**
 * velocityjs with API Gateway's semantics. velocityjs declares its evaluation hooks as returning strings, but at
 * run time they carry any template value (maps, lists, numbers, null); the overrides below follow the run-time
 * contract, hence the `as string` at each hook's return.
 */
export class ApiGatewayVelocity extends Compile {
  private iterations = 0;
  private loopSeq = 0;

  constructor(
    asts: Asts,
    private readonly shared: SharedState,
  ) {
    super(asts);
  }

  /**
   * Renders with fresh per-render state. One engine serves every render of its template (constructing a
   * velocityjs Compile per request costs more than a small render); renders are synchronous, so they never
   * interleave.
   */
  renderVariables(variables: VtlMap): string {
    this.iterations = 0;
    this.loopSeq = 0;
    this.local = {};
    this.conditions = [];
    this.contextId = "";
    this.defines = {};
    this.macrosStore = {};
    this.runState = { stop: false, break: false };
    return this.render(variables, undefined, true);
  }

  private lookup(id: string): unknown {
    for (const contextId of this.conditions) {
      const scope = this.local[contextId];
      if (isVtlMap(scope) && Object.hasOwn(scope, id)) return scope[id];
    }
    return Object.hasOwn(this.context, id) ? this.context[id] : undefined;
  }

  private evaluate(node: AstNode): unknown {
    return this.getLiteral(node as never) as unknown;
  }

  private step(value: unknown, node: PathNode): unknown {
    if (node.type === "method") {
      const args = (node.args || []).map((arg) => this.evaluate(arg));
      return isHostObject(value) ? value.vtlInvoke(node.id, args) : invokeValueMethod(value, node.id, args);
    }
    if (node.type === "index") {
      const key = this.evaluate(node.id);
      if (Array.isArray(value)) return typeof key === "number" && Number.isInteger(key) && key >= 0 ? value[key] : undefined;
      if (isVtlMap(value)) {
        const name = toJavaString(key);
        return Object.hasOwn(value, name) ? value[name] : undefined;
      }
      return isHostObject(value) ? value.vtlProperty(toJavaString(key)) : undefined;
    }
    if (isHostObject(value)) return value.vtlProperty(node.id);
    if (isVtlMap(value)) return Object.hasOwn(value, node.id) ? value[node.id] : undefined;
    // `$list.empty` → isEmpty(), `$x.foo` → getFoo(): Velocity's property-to-getter resolution.
    const suffix = node.id.charAt(0).toUpperCase() + node.id.slice(1);
    return invokeValueMethod(value, `get${suffix}`, []) ?? invokeValueMethod(value, `is${suffix}`, []);
  }

  protected override getReferences(node: unknown, isVal?: boolean): string {
    const ast = node as ReferenceNode;
    if (ast.prue) {
      const define = this.defines[ast.id];
      if (Array.isArray(define)) return this.renderAstList(define);
    }
    let value = this.lookup(ast.id);
    for (const pathNode of ast.path ?? []) {
      if (value === null || value === undefined) break;
      value = this.step(value, pathNode);
    }
    // API Gateway prints a null or missing reference as empty text, not as its source like Velocity (§12.1).
    return (isVal === true ? printValue(value) : value) as string;
  }

  protected override getLiteral(node: unknown): string {
    const ast = node as AstNode;
    if (ast.type === "array") return this.evaluateArray(ast as ArrayNode) as unknown as string;
    return super.getLiteral(node as never);
  }

  private evaluateArray(ast: ArrayNode): unknown[] {
    if (ast.isRange !== true) return javaList(ast.value.map((item) => this.evaluate(item as AstNode)));
    const [begin, end] = ast.value.map((bound) =>
      typeof bound === "string" ? parseInt(bound, 10) : typeof bound === "number" ? bound : this.evaluate(bound),
    );
    if (typeof begin !== "number" || typeof end !== "number" || !Number.isInteger(begin) || !Number.isInteger(end)) return javaList([]);
    // A range only ever feeds #foreach in practice, which stops after 1000 items: build no more than that (+1 so
    // $foreach.hasNext stays true on the last iteration, as with the full list).
    const count = Math.min(Math.abs(end - begin) + 1, MAX_FOREACH_ITERATIONS + 1);
    const direction = begin <= end ? 1 : -1;
    const items: number[] = [];
    for (let i = 0; i < count; i++) items.push(begin + i * direction);
    return javaList(items);
  }

  protected override getExpression(node: unknown): string {
    return this.expression(node as AstNode) as string;
  }

  private expression(ast: AstNode): unknown {
    if (ast.type !== "math") return this.evaluate(ast);
    const { operator, expression } = ast as MathNode;
    const left = (): unknown => this.expression(expression[0]!);
    const right = (): unknown => this.expression(expression[1]!);
    switch (operator) {
      case "==":
        return vtlEquals(left(), right());
      case "!=":
        return !vtlEquals(left(), right());
      case "&&":
        return isTruthy(left()) && isTruthy(right());
      case "||":
        return isTruthy(left()) || isTruthy(right());
      case "not":
        return !isTruthy(left());
      case "parenthesis":
        return left();
      case "minus": {
        const v = left();
        return typeof v === "number" ? -v : null;
      }
      case ">":
      case "<":
      case ">=":
      case "<=":
        return compare(operator, left(), right());
      default:
        return arithmetic(operator, left(), right());
    }
  }

  /**
   * Velocity's #break ends the enclosing #foreach at once: nothing after it renders, in this iteration or an
   * enclosing #if's remainder. velocityjs only sets a flag and finishes the body, so the list is rendered node by
   * node here, stopping at the flag (renderForeach clears it when the loop ends).
   */
  override renderAstList(asts?: Parameters<Compile["renderAstList"]>[0], contextId?: string): string {
    if (asts === undefined) return super.renderAstList(asts, contextId);
    let out = "";
    for (const ast of asts) {
      if (this.runState.break || this.runState.stop) break;
      out += super.renderAstList([ast], contextId);
    }
    return out;
  }

  protected override getBlock(node: unknown): string {
    const block = node as AstNode[];
    const head = block[0];
    if (head?.type === "if") return this.renderIf(block);
    if (head?.type === "foreach") return this.renderForeach(block);
    return super.getBlock(node as never);
  }

  private renderIf(block: AstNode[]): string {
    let chosen: AstNode[] | undefined;
    for (const ast of block) {
      const isBranch = ast.type === "if" || ast.type === "elseif" || ast.type === "else";
      if (isBranch) {
        if (chosen !== undefined) break;
        const condition = (ast as ConditionNode).condition;
        if (ast.type === "else" || (condition !== undefined && isTruthy(this.expression(condition)))) chosen = [];
      } else if (chosen !== undefined) {
        chosen.push(ast);
      }
    }
    return chosen === undefined ? "" : this.renderAstList(chosen as never, this.contextId);
  }

  private renderForeach(block: AstNode[]): string {
    const head = block[0] as ForeachNode;
    const source = this.evaluate(head.from);
    // Velocity iterates a list's items and a map's values.
    const items = Array.isArray(source) ? source : isVtlMap(source) ? Object.values(source) : [];
    if (items.length === 0) return "";
    const body = block.slice(1) as never;
    const contextId = `foreach:${++this.loopSeq}`;
    const count = Math.min(items.length, MAX_FOREACH_ITERATIONS);
    // One scope object per loop, updated in place: velocityjs looks loop variables up in this.local[contextId].
    const loop = { count: 0, index: 0, hasNext: false, first: false, last: false };
    const scope: VtlMap = { [head.to]: undefined, foreach: loop, velocityCount: 0 };
    this.local[contextId] = scope;
    let out = "";
    for (let i = 0; i < count && !this.runState.break && !this.runState.stop; i++) {
      if (++this.iterations > MAX_ITERATIONS_PER_RENDER) {
        throw new VelocityLimitError(`Template exceeded ${MAX_ITERATIONS_PER_RENDER} loop iterations`);
      }
      scope[head.to] = items[i];
      loop.count = i + 1;
      loop.index = i;
      loop.hasNext = i + 1 < items.length;
      loop.first = i === 0;
      loop.last = i + 1 === items.length;
      scope["velocityCount"] = i + 1;
      out += this.renderAstList(body, contextId);
    }
    this.runState.break = false;
    this.local[contextId] = undefined;
    const at = this.conditions.indexOf(contextId);
    if (at !== -1) this.conditions.splice(at, 1);
    this.contextId = this.conditions[0] ?? "";
    return out;
  }

  protected override evalStr(str: string): string {
    let asts = this.shared.strings.get(str);
    if (asts === undefined) {
      asts = parse(str);
      if (this.shared.strings.size < STRING_CACHE_LIMIT) this.shared.strings.set(str, asts);
    }
    return this.renderAstList(asts, this.contextId);
  }
}

function compare(operator: string, a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return operator === ">" ? a > b : operator === "<" ? a < b : operator === ">=" ? a >= b : a <= b;
  }
  if (typeof a === "string" && typeof b === "string") {
    return operator === ">" ? a > b : operator === "<" ? a < b : operator === ">=" ? a >= b : a <= b;
  }
  return false;
}

/** Velocity arithmetic: integer operands give integer results; division by zero and non-numbers give null. */
function arithmetic(operator: string, a: unknown, b: unknown): unknown {
  if (typeof a !== "number" || typeof b !== "number") {
    // Velocity 1.7 has no string "+", but templates written for other engines rely on it; keep concatenation.
    return operator === "+" && (typeof a === "string" || typeof b === "string") ? printValue(a) + printValue(b) : null;
  }
  const integers = Number.isInteger(a) && Number.isInteger(b);
  switch (operator) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      if (b === 0) return null;
      return integers ? Math.trunc(a / b) : a / b;
    case "%":
      if (b === 0) return null;
      return a % b;
    default:
      return null;
  }
}

// Comments and unparsed blocks, then block directives: #if/#foreach/#macro/#define/#noescape/#@call … #end.
const DIRECTIVE_SCAN = /##[^\n]*|#\*[\s\S]*?\*#|#\[\[[\s\S]*?\]\]#|#\{?(if|foreach|macro|define|noescape|@[A-Za-z_][\w-]*|end)\b\}?/g;

/**
 * velocityjs silently tolerates a missing #end (the block runs to the end of the template) and an extra #end
 * (the rest of the template is dropped); Velocity rejects both, so they are checked here.
 */
function checkBlockBalance(source: string): void {
  let depth = 0;
  for (const m of source.matchAll(DIRECTIVE_SCAN)) {
    const directive = m[1];
    if (directive === undefined) continue;
    if (directive !== "end") depth++;
    else if (--depth < 0) throw new VelocitySyntaxError(`#end without a matching block at offset ${m.index}`);
  }
  if (depth > 0) throw new VelocitySyntaxError(`${depth} block(s) not closed with #end`);
}

/** Parses a template; throws VelocitySyntaxError when velocityjs or the block check rejects it. */
export function parseTemplate(source: string): Asts {
  let asts: Asts;
  try {
    asts = parse(source);
  } catch (err) {
    throw new VelocitySyntaxError(err instanceof Error ? err.message : String(err));
  }
  checkBlockBalance(source);
  return asts;
}
