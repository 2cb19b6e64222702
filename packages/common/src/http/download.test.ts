import { contentDisposition } from './download';

describe('contentDisposition', () => {
  it('keeps an ASCII name as it is, in both forms', () => {
    expect(contentDisposition('W-1-abc.pdf')).toBe(
      `attachment; filename="W-1-abc.pdf"; filename*=UTF-8''W-1-abc.pdf`,
    );
  });

  it('replaces quotes, backslashes and non-ASCII in the fallback and keeps the exact name encoded', () => {
    expect(contentDisposition('plat "ñ"\\.pdf')).toBe(
      `attachment; filename="plat ____.pdf"; filename*=UTF-8''plat%20%22%C3%B1%22%5C.pdf`,
    );
  });
});
