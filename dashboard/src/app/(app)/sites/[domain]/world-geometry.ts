import { geoEqualEarth, geoPath } from 'd3-geo';
import countries from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-110m.json';

/** One country's outline as an SVG path, keyed by its ISO 3166-1 alpha-2 code (what the events store). */
export interface CountryShape {
  code: string;
  path: string;
}

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 470;

let shapes: CountryShape[] | undefined;

/**
 * Natural Earth's 1:110m countries (public domain, via world-atlas, ISC) projected once with Equal
 * Earth, so countries keep their true relative areas. Antarctica is left out: nobody visits from it
 * and it takes a fifth of the height.
 */
export function worldShapes(): CountryShape[] {
  if (shapes) return shapes;
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection }>;
  const collection = feature(topology, topology.objects.countries);
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { ...collection, features: collection.features.filter((f) => f.id !== '010') },
  );
  const toPath = geoPath(projection);
  shapes = [];
  for (const f of collection.features) {
    if (f.id === '010') continue;
    const code = countries.numericToAlpha2(String(f.id ?? ''));
    const path = toPath(f);
    // A few disputed areas have no ISO code; they are drawn unshaded and carry no number.
    shapes.push({ code: code ?? '', path: path ?? '' });
  }
  return shapes;
}
