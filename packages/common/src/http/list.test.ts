import fc from 'fast-check';
import { ValidationError } from '../errors';
import { z } from 'zod';
import {
  checkQueryParameters,
  enumFilter,
  listEnvelope,
  listQuerySchema,
  parseListParams,
  queryRules,
} from './list';

const opts = { sortable: ['name', 'created_at'] as const, defaultSort: 'created_at' as const };

describe('parseListParams', () => {
  it('defaults to page 1 of 20, sorted by the default column ascending', () => {
    expect(parseListParams({}, opts)).toEqual({
      style: 'page',
      page: 1,
      pageSize: 20,
      limit: 20,
      offset: 0,
      sortBy: 'created_at',
      sortDir: 'asc',
    });
  });

  it('turns page/page_size into limit/offset', () => {
    expect(parseListParams({ page: '3', page_size: '10' }, opts)).toMatchObject({
      limit: 10,
      offset: 20,
      page: 3,
    });
  });

  it('keeps the page of the largest offset an exact integer', () => {
    expect(parseListParams({ offset: '1000000000', limit: '1' }, opts)).toMatchObject({
      offset: 1_000_000_000,
      page: 1_000_000_001,
    });
  });

  it('accepts limit/offset (default limit 50) and reports that style', () => {
    expect(parseListParams({ offset: '100' }, opts)).toMatchObject({
      style: 'offset',
      limit: 50,
      offset: 100,
      page: 3,
    });
  });

  it('takes sort_dir or sort_order', () => {
    expect(parseListParams({ sort_by: 'name', sort_order: 'desc' }, opts)).toMatchObject({
      sortBy: 'name',
      sortDir: 'desc',
    });
    expect(parseListParams({ sort_dir: 'desc' }, opts).sortDir).toBe('desc');
  });

  it.each([
    [{ sort_by: 'password; drop table users' }, 'sort_by'],
    [{ page: '0' }, 'page'],
    [{ page_size: '101' }, 'page_size'],
    [{ limit: 'x' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ offset: '1000000001' }, 'offset'],
    [{ sort_dir: 'sideways' }, 'sort_dir'],
  ])('answers 422 naming the parameter for %j', (query, field) => {
    let error: unknown;
    try {
      parseListParams(query, opts);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(422);
    expect((error as ValidationError).detail).toEqual([expect.objectContaining({ loc: ['query', field] })]);
  });

  it('never yields an offset that is not (page - 1) × page_size, nor a size over the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100 }), (page, size) => {
        const p = parseListParams({ page: String(page), page_size: String(size) }, opts);
        expect(p.offset).toBe((page - 1) * size);
        expect(p.limit).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('checkQueryParameters', () => {
  const list = listQuerySchema(opts).extend({
    status: enumFilter(['open', 'closed']).optional(),
    tags: z.array(z.string()).optional(),
  });
  const issuesOf = (query: Record<string, unknown>, schema: z.ZodType = list) => {
    try {
      checkQueryParameters(query, queryRules(schema));
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).detail;
    }
  };

  it('answers 422 naming an unknown parameter, also page[] or a mistyped filter', () => {
    expect(issuesOf({ 'page[]': '1' })).toEqual([
      {
        loc: ['query', 'page[]'],
        msg: expect.stringContaining('page, page_size'),
        type: 'unknown_parameter',
      },
    ]);
    expect(issuesOf({ stauts: 'open' })).toEqual([expect.objectContaining({ loc: ['query', 'stauts'] })]);
  });

  it('answers 422 naming a scalar parameter given twice, and takes list parameters repeated', () => {
    expect(issuesOf({ page: ['1', '2'] })).toEqual([
      { loc: ['query', 'page'], msg: 'must be given once', type: 'repeated' },
    ]);
    expect(issuesOf({ status: ['open', 'open'] })).toEqual([
      expect.objectContaining({ loc: ['query', 'status'] }),
    ]);
    expect(issuesOf({ tags: ['a', 'b'], page: '1', status: 'open' })).toEqual([]);
  });

  it('lets a schema with a catchall take parameters it does not name, once each', () => {
    const open = listQuerySchema(opts).catchall(z.string());
    expect(issuesOf({ county: 'Reeves' }, open)).toEqual([]);
    expect(issuesOf({ county: ['a', 'b'] }, open)).toEqual([
      expect.objectContaining({ loc: ['query', 'county'] }),
    ]);
  });

  it('applies to parseListParams too', () => {
    expect(() => parseListParams({ pagesize: '10' }, opts)).toThrow(ValidationError);
  });

  it('lists the allowed values of an enum filter', () => {
    const result = list.safeParse({ status: 'nope' });
    expect(result.error?.issues[0].message).toBe('must be one of: open, closed');
  });
});

describe('listEnvelope', () => {
  it('has data, total, page and page_size, and echoes limit/offset when those were used', () => {
    expect(listEnvelope([1], 7, parseListParams({}, opts))).toEqual({
      data: [1],
      total: 7,
      page: 1,
      page_size: 20,
    });
    expect(listEnvelope([], 7, parseListParams({ limit: '5', offset: '5' }, opts))).toEqual({
      data: [],
      total: 7,
      page: 2,
      page_size: 5,
      limit: 5,
      offset: 5,
    });
  });
});
