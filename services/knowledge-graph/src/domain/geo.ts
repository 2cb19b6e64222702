/** Great-circle distances live in @aegis/common (the orchestration's Rule 37 spacing uses them too). */
export { boundingBox, feetToMetres, haversineMetres, metresToFeet, type BoundingBox } from '@aegis/common';
