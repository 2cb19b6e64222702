import fc from 'fast-check';
import { readIntent, wellIdsIn } from './intent';

describe('readIntent', () => {
  it.each([
    ['Is well 42-317-30000-00-00 ok?', ['42317300000000']],
    ['Is well 42317300000000 ok?', ['42317300000000']],
    ['well 42-317-30000 and 4231730011', ['42317300000000', '42317300110000']],
    ['well 42 317 30000 00', ['42317300000000']],
    ['not a Texas well 43-317-30000, nor 42-000-30000', []],
  ])('finds the API numbers of %s', (text, wells) => {
    expect(readIntent(text).wells).toEqual(wells);
  });

  it('reads ids, a location, the topics and the filing intent', () => {
    const i = readIntent(
      'File a W-1 spacing exception at 32.3725, -101.9440 on lease lse-08-41235 for OP-123456',
    );
    expect(i).toMatchObject({
      leases: ['LSE-08-41235'],
      operators: ['OP-123456'],
      location: { latitude: 32.3725, longitude: -101.944 },
      filing: 'file',
    });
    expect([...i.topics]).toEqual(expect.arrayContaining(['spacing', 'w1']));
    expect(readIntent('Prepare an R-32 renewal for R32-0041235-1').filing).toBe('draft');
    expect(readIntent('Prepare an R-32 renewal for R32-0041235-1').authorizations).toEqual(['R32-0041235-1']);
    expect(readIntent('How is flaring going?').filing).toBeNull();
    expect(readIntent('Escalate anything critical').raiseAlert).toBe(true);
  });

  it('takes the well of the request context when the text names none', () => {
    expect(readIntent('How is it doing?', { wellId: '42-317-30000' }).wells).toEqual(['42317300000000']);
    expect(readIntent('Well 42-329-30137?', { wellId: '42-317-30000' }).wells).toEqual(['42329301370000']);
  });

  it('finds a well written in any accepted form inside any text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 253 }).map((n) => String(2 * n + 1).padStart(3, '0')),
        fc.integer({ min: 1, max: 99_999 }).map((n) => String(n).padStart(5, '0')),
        fc.constantFrom('-', '', ' '),
        fc.string().map((s) => s.replace(/\d/g, '')),
        (county, unique, sep, noise) => {
          const api = `42${sep}${county}${sep}${unique}`;
          expect(wellIdsIn(`${noise} ${api} ${noise}`)).toEqual([`42${county}${unique}0000`]);
        },
      ),
    );
  });
});
