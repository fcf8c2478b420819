/** The pure part of photo handling: the on-device size limit. */
import { describe, expect, it } from 'vitest';
import { PHOTO_MAX_EDGE, fitWithin } from '../../src/data/photos';

describe('fitWithin', () => {
  it('shrinks the long side to 1600 px and keeps the aspect ratio', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(4032, 1816)).toEqual({ width: 1600, height: 721 });
  });

  it('never upscales a photo that already fits', () => {
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900 });
    expect(fitWithin(640, 480)).toEqual({ width: 640, height: 480 });
  });

  it('keeps at least one pixel on a very thin image', () => {
    expect(fitWithin(10_000, 2)).toEqual({ width: PHOTO_MAX_EDGE, height: 1 });
  });

  it('refuses an image without a size', () => {
    expect(() => fitWithin(0, 100)).toThrow(RangeError);
  });
});
