import { describe, expect, it } from 'vitest';
import {
  TRACKER_VARIANTS as TRACKER_PACKAGE_VARIANTS,
  trackerFileNames as trackerPackageFileNames,
  trackerVariantOf,
} from '@sightline/tracker';
import { TRACKER_VARIANTS, trackerFileNames } from './tracker-script';

// The receiver keeps its own copy of the variants (the tracker package is not part of the
// production bundle): it must serve exactly the builds and names the tracker package makes.
describe('tracker variants served by the receiver', () => {
  it('are the tracker package’s variants, under the same names', () => {
    expect([...TRACKER_VARIANTS]).toEqual([...TRACKER_PACKAGE_VARIANTS]);
    for (const variant of TRACKER_VARIANTS)
      expect(trackerFileNames(variant).sort()).toEqual(trackerPackageFileNames(variant).sort());
  });

  it('name extensions in the file name, Plausible style, in any order; the old names keep working', () => {
    expect(trackerFileNames('engagement')).toEqual(['script.engagement.js']);
    expect(trackerFileNames('vitals')).toEqual(['script.vitals.js']);
    expect(trackerFileNames('engagement.vitals').sort()).toEqual([
      'script.engagement.vitals.js',
      'script.vitals.engagement.js',
    ]);
    expect(trackerVariantOf('script.vitals.engagement.js')).toBe('engagement.vitals');
    for (const name of ['script.vitals.vitals.js', 'script.outbound-links.js', 'script..js', 'vitals.js'])
      expect(trackerVariantOf(name), name).toBeNull();
  });
});
