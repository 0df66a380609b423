/**
 * @module main/engine/raster/geo-transform
 * GDAL's affine geotransform [originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight] and the one
 * function that gives a window its own georeference.
 */
import type { PixelWindow } from './pixel-window.ts';

export type GeoTransform = readonly [number, number, number, number, number, number];

export function isNorthUp(gt: GeoTransform): boolean {
  return gt[2] === 0 && gt[4] === 0;
}

/** GDAL's placeholder for "no georeference". */
export function isIdentity(gt: GeoTransform): boolean {
  return gt[0] === 0 && gt[1] === 1 && gt[2] === 0 && gt[3] === 0 && gt[4] === 0 && gt[5] === 1;
}

export function windowTransform(window: PixelWindow, gt: GeoTransform): GeoTransform {
  return [gt[0] + window.colOff * gt[1] + window.rowOff * gt[2], gt[1], gt[2], gt[3] + window.colOff * gt[4] + window.rowOff * gt[5], gt[4], gt[5]];
}

/** Map extent [minX, minY, maxX, maxY] of a width×height raster (north-up). */
export function extentOf(gt: GeoTransform, width: number, height: number): [number, number, number, number] {
  const x0 = gt[0];
  const x1 = gt[0] + width * gt[1];
  const y0 = gt[3];
  const y1 = gt[3] + height * gt[5];
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}
