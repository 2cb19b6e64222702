import { amzDate, EMPTY_SHA256, signV4, uriEncode } from './sigv4';

describe('signV4', () => {
  it('signs the documented S3 GET example (AWS "Signature Calculations … Example: GET Object")', () => {
    const auth = signV4({
      method: 'GET',
      path: '/test.txt',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: EMPTY_SHA256,
      amzDate: '20130524T000000Z',
      region: 'us-east-1',
      service: 's3',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });
    expect(auth).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('formats the date and encodes as RFC 3986 wants', () => {
    expect(amzDate(new Date(Date.UTC(2013, 4, 24, 0, 0, 0, 123)))).toBe('20130524T000000Z');
    expect(uriEncode("a b*'(c)!~._-")).toBe('a%20b%2A%27%28c%29%21~._-');
  });
});
