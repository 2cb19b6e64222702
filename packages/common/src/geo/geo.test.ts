import fc from 'fast-check';
import { boundingBox, haversineMetres, metresToFeet } from './geo';

describe('haversineMetres', () => {
  it('measures one degree of latitude as about 111.2 km', () => {
    expect(haversineMetres(31, -102, 32, -102)).toBeCloseTo(111_195, -1);
  });

  it('gives Midland to Pecos as about 148 km', () => {
    const d = haversineMetres(31.9973, -102.0779, 31.4229, -103.4932);
    expect(d / 1000).toBeGreaterThan(147);
    expect(d / 1000).toBeLessThan(150);
  });

  it('is zero for the same point and symmetric', () => {
    expect(haversineMetres(32.1, -101.9, 32.1, -101.9)).toBe(0);
    expect(haversineMetres(32.1, -101.9, 32.2, -101.8)).toBeCloseTo(
      haversineMetres(32.2, -101.8, 32.1, -101.9),
      6,
    );
  });

  it('converts to feet', () => {
    expect(metresToFeet(365.76)).toBeCloseTo(1200, 6);
  });
});

describe('boundingBox', () => {
  it('contains every point within the radius', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 25, max: 37, noNaN: true }),
        fc.double({ min: -107, max: -93, noNaN: true }),
        fc.double({ min: 10, max: 50_000, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (lat, lon, r, bearing, f) => {
          // A point at distance f*r along `bearing` (small-distance approximation, then checked exactly).
          const d = (f * r) / 6_371_008.8;
          const lat2 = lat + (d * Math.cos(bearing) * 180) / Math.PI;
          const lon2 = lon + (d * Math.sin(bearing) * 180) / Math.PI / Math.cos((lat * Math.PI) / 180);
          fc.pre(haversineMetres(lat, lon, lat2, lon2) <= r);
          const box = boundingBox(lat, lon, r);
          expect(lat2).toBeGreaterThanOrEqual(box.minLat);
          expect(lat2).toBeLessThanOrEqual(box.maxLat);
          expect(lon2).toBeGreaterThanOrEqual(box.minLon);
          expect(lon2).toBeLessThanOrEqual(box.maxLon);
        },
      ),
    );
  });
});
