import type { VegaLiteSpec } from './charts';

/** Turns a Vega-Lite spec into an SVG document. */
export type RenderSvg = (spec: VegaLiteSpec) => Promise<string>;

/**
 * Renders with Vega-Lite (compile to Vega) and Vega's headless View (`renderer: 'none'`, then
 * `toSVG()`): pure JavaScript, no browser and no canvas — text widths are estimated when the optional
 * `canvas` package is absent, which it is here. Both packages are ESM-only with top-level await, so
 * they are loaded with a dynamic import (a `require` cannot load them, and jest's CommonJS runtime
 * cannot import them without --experimental-vm-modules: tests that need real SVG run the report as a
 * process).
 */
export const renderSvg: RenderSvg = async (spec) => {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
