import {
  BinaryOperationNode,
  OperationNodeTransformer,
  OperatorNode,
  ValueNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { assertIdentifier } from './sql';

/**
 * Runtime checks on every query before it is compiled, on both dialects. Kysely's types already keep
 * table and column names to the declared schema; these catch what a cast or a dynamic name (a sort
 * column from a query string) could still bring in:
 * - every identifier (table, column, alias) is lower-case snake_case of at most 63 characters;
 * - UPDATE and DELETE need a WHERE (no whole-table writes through the builder);
 * - LIMIT and OFFSET are non-negative integers, and OFFSET comes with a LIMIT (SQLite needs one);
 * - `IN ()` of an empty list matches nothing (`NOT IN ()` everything) on both stores, where PostgreSQL
 *   would reject the syntax.
 * Values are never inspected here: they are bound parameters, converted by the driver (values.ts).
 */
export class QueryGuardPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const found = { emptyList: false };
    checkNode(args.node as unknown as AnyNode, found);
    return found.emptyList ? new EmptyListRewriter().transformNode(args.node) : args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

type AnyNode = OperationNode & Record<string, unknown>;

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string'
  );
}

function nonNegativeInt(node: unknown, what: string): void {
  if (!isNode(node) || node.kind !== 'ValueNode') return;
  const value = node.value;
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new TypeError(`${what} must be a non-negative integer`);
}

function checkNode(node: AnyNode, found: { emptyList: boolean }): void {
  switch (node.kind) {
    case 'ValueNode':
    case 'PrimitiveValueListNode':
      return; // bound values, never SQL text
    case 'IdentifierNode':
      assertIdentifier(node.name, 'identifier');
      return;
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
      if (node.where === undefined) {
        const what = node.kind === 'UpdateQueryNode' ? 'UPDATE' : 'DELETE';
        throw new TypeError(`${what} needs a non-empty where (no whole-table writes)`);
      }
      break;
    case 'SelectQueryNode':
      if (node.offset !== undefined && node.limit === undefined) throw new TypeError('offset needs a limit');
      break;
    case 'LimitNode':
      nonNegativeInt(node.limit, 'limit');
      break;
    case 'OffsetNode':
      nonNegativeInt(node.offset, 'offset');
      break;
    case 'BinaryOperationNode':
      if (isEmptyInList(node as unknown as BinaryOperationNode)) found.emptyList = true;
      break;
    default:
      break;
  }
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) checkNode(item, found);
    } else if (isNode(child)) {
      checkNode(child, found);
    }
  }
}

function isEmptyInList(node: BinaryOperationNode): boolean {
  const op = (node.operator as { operator?: unknown }).operator;
  if (op !== 'in' && op !== 'not in') return false;
  const right = node.rightOperand as { kind: string; values?: readonly unknown[] };
  return (
    (right.kind === 'PrimitiveValueListNode' || right.kind === 'ValueListNode') && right.values?.length === 0
  );
}

/** Rewrites `x IN ()` to `1 = 0` and `x NOT IN ()` to `1 = 1`; run only when a query has one. */
class EmptyListRewriter extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode): BinaryOperationNode {
    if (!isEmptyInList(node)) return super.transformBinaryOperation(node);
    const matchesAll = (node.operator as { operator?: unknown }).operator === 'not in';
    return BinaryOperationNode.create(
      ValueNode.createImmediate(1),
      OperatorNode.create('='),
      ValueNode.createImmediate(matchesAll ? 1 : 0),
    );
  }
}
