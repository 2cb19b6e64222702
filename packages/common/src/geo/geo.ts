/** Great-circle distance (haversine) on a sphere of the mean Earth radius (IUGG, 6,371,008.8 m).
 * Rule 37 spacing (16 TAC §3.37) compares such distances, in feet, with 467 ft / 1,200 ft minimums. */
export const EARTH_RADIUS_M = 6_371_008.8;
export const METRES_PER_FOOT = 0.3048;

const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** A latitude/longitude box that contains every point within `radiusM` of the centre (a prefilter
 * for an index; the exact distance is computed afterwards). Widened slightly for rounding. */
export function boundingBox(lat: number, lon: number, radiusM: number): BoundingBox {
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI) * 1.001;
  const cosLat = Math.cos(rad(lat));
  const dLon = cosLat < 1e-6 ? 180 : Math.min(180, dLat / cosLat);
  return {
    minLat: Math.max(-90, lat - dLat),
    maxLat: Math.min(90, lat + dLat),
    minLon: lon - dLon,
    maxLon: lon + dLon,
  };
}

export function feetToMetres(ft: number): number {
  return ft * METRES_PER_FOOT;
}

export function metresToFeet(m: number): number {
  return m / METRES_PER_FOOT;
}
