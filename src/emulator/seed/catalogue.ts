/**
 * The product catalogue of the seed's selling company: industrial and B2B goods with SCM-like item numbers,
 * a sales unit each and a list price.
 *
 * @module
 */
import type { SeededRandom } from './random.js';

/** Symbols of the units the seed creates (see `units` in generate.ts). */
export type UnitSymbol = 'ea' | 'pcs' | 'box' | 'kg' | 'm' | 'l';

/** One released product, before it becomes rows. */
export interface ProductSpec {
  /** SCM item number (`B0012`). */
  readonly itemNumber: string;
  readonly name: string;
  readonly description: string;
  readonly unit: UnitSymbol;
  /** List price in USD. */
  readonly price: number;
}

interface Family {
  /** First letter of the item numbers. */
  readonly prefix: string;
  /** Description shared by the family's products. */
  readonly description: string;
  /** [name, unit, lowest price, highest price] of each product. */
  readonly items: readonly (readonly [string, UnitSymbol, number, number])[];
}

const cross = <A, B>(as: readonly A[], bs: readonly B[]): [A, B][] => as.flatMap((a) => bs.map((b): [A, B] => [a, b]));

const families: readonly Family[] = [
  {
    prefix: 'B',
    description: 'Fasteners, DIN/ISO standard, sold by the box.',
    items: [
      ...cross([6, 8, 10, 12], [20, 30, 40, 60]).map(([d, l]) =>
        [`Hex bolt M${d} x ${l} zinc-plated (box of 100)`, 'box', 6 + d * 0.9 + l * 0.12, 9 + d * 1.3 + l * 0.18] as const),
      ...[6, 8, 10, 12, 16].map((d) => [`Hex nut M${d} zinc-plated (box of 200)`, 'box', 4 + d * 0.6, 6 + d * 0.9] as const),
      ...[5, 6, 8, 10, 12].map((d) => [`Flat washer M${d} stainless A2 (box of 500)`, 'box', 7 + d * 0.7, 10 + d] as const),
      ...cross([3.5, 4, 5], [30, 40, 50]).map(([d, l]) =>
        [`Wood screw ${d} x ${l} mm, countersunk (box of 200)`, 'box', 5 + d + l * 0.05, 8 + d + l * 0.08] as const),
      ['Steel bolt M8 x 40 (box of 100)', 'box', 11, 14],
      ['Anchor bolt M10 x 90 (box of 50)', 'box', 24, 31],
    ],
  },
  {
    prefix: 'C',
    description: 'Cables and cable management.',
    items: [
      ...[0.75, 1.5, 2.5, 4].map((mm) => [`Speaker cable 2 x ${mm} mm² (per m)`, 'm', 0.4 + mm * 0.35, 0.6 + mm * 0.5] as const),
      ...[1.5, 2.5, 4].map((mm) => [`Power cable H07RN-F 3G${mm} (per m)`, 'm', 1.2 + mm * 0.6, 1.6 + mm * 0.8] as const),
      ...[2, 5, 10, 20].map((len) => [`Speaker cable ${len} m with banana plugs`, 'ea', 6 + len * 0.9, 8 + len * 1.2] as const),
      ...[0.5, 1, 2, 3, 5, 10].map((len) => [`Ethernet patch cable Cat6 ${len} m`, 'ea', 2 + len * 0.6, 3 + len * 0.8] as const),
      ...[3, 5, 10].map((len) => [`Extension cord ${len} m, 3 outlets`, 'ea', 9 + len * 1.1, 12 + len * 1.4] as const),
      ...([[100, 2.5], [200, 4.8], [300, 4.8], [370, 7.6]] as const).map(([l, w]) =>
        [`Cable tie ${l} x ${w} mm black (bag of 100)`, 'box', 2 + l * 0.01 + w * 0.3, 3 + l * 0.015 + w * 0.4] as const),
    ],
  },
  {
    prefix: 'E',
    description: 'Electrical installation material.',
    items: [
      ...[6, 10, 16, 20, 25, 32].map((a) => [`Circuit breaker C${a} 1-pole`, 'ea', 5.5 + a * 0.05, 7 + a * 0.08] as const),
      ['Residual current breaker 40 A 30 mA 4-pole', 'ea', 38, 52],
      ...([[36, 4000], [36, 6500], [40, 4000]] as const).map(([w, k]) =>
        [`LED panel 600 x 600 ${w} W ${k} K`, 'ea', 28 + w * 0.2, 36 + w * 0.3] as const),
      ...([[600, 9], [1200, 18], [1500, 24]] as const).map(([len, w]) =>
        [`LED tube T8 ${len} mm ${w} W`, 'ea', 3 + w * 0.2, 4 + w * 0.3] as const),
      ...[80, 100, 150].map((s) => [`Junction box IP65 ${s} x ${s} mm`, 'ea', 2 + s * 0.03, 3 + s * 0.04] as const),
      ['Wall socket, double, white', 'ea', 6.5, 9],
      ['Motion sensor 360°, ceiling mount', 'ea', 18, 26],
      ['DIN rail 35 mm, 1 m', 'ea', 3, 4.5],
    ],
  },
  {
    prefix: 'T',
    description: 'Hand and power tools for professional use.',
    items: [
      ['Cordless drill 18 V with 2 batteries', 'ea', 149, 189],
      ['Angle grinder 125 mm, 1,200 W', 'ea', 79, 109],
      ['Impact driver 18 V (body only)', 'ea', 99, 129],
      ['Torque wrench 1/2" 40–200 Nm', 'ea', 89, 119],
      ['Socket set 1/4" & 1/2" (94 pieces)', 'ea', 109, 149],
      ...[60, 100, 120].map((len) => [`Spirit level ${len} cm`, 'ea', 14 + len * 0.2, 18 + len * 0.25] as const),
      ['Utility knife with 10 blades', 'ea', 7.5, 11],
      ...[5, 8].map((len) => [`Tape measure ${len} m`, 'ea', 6 + len, 8 + len * 1.2] as const),
      ...([[6, 160], [8, 160], [10, 210], [12, 260]] as const).map(([d, l]) =>
        [`Hammer drill bit SDS-plus ${d} x ${l} mm`, 'ea', 2.5 + d * 0.4, 3.5 + d * 0.5] as const),
      ['HSS drill bit set 1–10 mm (19 pieces)', 'ea', 24, 34],
      ['Screwdriver set, insulated (8 pieces)', 'ea', 29, 39],
      ['Pipe wrench 14"', 'ea', 24, 32],
      ['Hacksaw frame 300 mm', 'ea', 12, 17],
    ],
  },
  {
    prefix: 'S',
    description: 'Personal protective equipment.',
    items: [
      ...['S', 'M', 'L', 'XL'].map((s) => [`Nitrile gloves size ${s} (box of 100)`, 'box', 8.5, 12] as const),
      ...[8, 9, 10, 11].map((s) => [`Leather work gloves size ${s} (pair)`, 'pcs', 5.5, 8] as const),
      ['Safety glasses, clear, anti-fog', 'pcs', 4.5, 7],
      ['Ear plugs (box of 200 pairs)', 'box', 24, 32],
      ['Hard hat, white, EN 397', 'pcs', 9, 14],
      ...['M', 'L', 'XL', 'XXL'].map((s) => [`High-visibility vest size ${s}`, 'pcs', 3.5, 5.5] as const),
      ...[40, 41, 42, 43, 44, 45, 46].map((n) => [`Safety shoes S3 size ${n}`, 'pcs', 59, 79] as const),
      ['First aid kit, industrial, DIN 13157', 'ea', 32, 45],
      ['FFP2 respirator mask (box of 20)', 'box', 14, 22],
    ],
  },
  {
    prefix: 'L',
    description: 'Lubricants, chemicals and coatings.',
    items: [
      ...[32, 46, 68].map((v) => [`Hydraulic oil HLP ${v}`, 'l', 4.2 + v * 0.01, 5.5 + v * 0.015] as const),
      ...[150, 220, 320].map((v) => [`Gear oil CLP ${v}`, 'l', 6 + v * 0.005, 8 + v * 0.007] as const),
      ...[0, 1, 2].map((n) => [`Multipurpose grease EP${n}`, 'kg', 9 + n, 13 + n] as const),
      ['Cutting fluid, water-miscible', 'l', 7.5, 10],
      ['Industrial degreaser, solvent-free', 'l', 5.5, 8],
      ['Penetrating oil spray 400 ml', 'ea', 6, 9],
      ['Threadlocker, medium strength, 50 ml', 'ea', 11, 16],
      ['Silicone sealant, transparent, 310 ml', 'ea', 5.5, 8],
      ['Epoxy primer, grey', 'l', 14, 19],
      ...[5010, 6011, 7035, 9005].map((c) => [`Machine enamel RAL ${c}`, 'l', 16, 22] as const),
    ],
  },
  {
    prefix: 'M',
    description: 'Raw materials: steel, aluminium, copper.',
    items: [
      ...[8, 10, 12, 16, 20, 25].map((d) => [`Steel round bar S235 Ø${d} mm`, 'm', 0.8 + d * 0.12, 1.1 + d * 0.16] as const),
      ...([[20, 5], [30, 5], [40, 8], [50, 10]] as const).map(([w, t]) =>
        [`Steel flat bar S235 ${w} x ${t} mm`, 'm', 1 + w * t * 0.008, 1.4 + w * t * 0.011] as const),
      ...[1, 1.5, 2, 3].map((t) => [`Aluminium sheet 1000 x 2000 x ${t} mm`, 'pcs', 28 + t * 22, 34 + t * 28] as const),
      ...([[20, 1.5], [25, 1.5], [40, 2]] as const).map(([d, t]) =>
        [`Stainless steel tube Ø${d} x ${t} mm`, 'm', 4 + d * 0.25, 5 + d * 0.32] as const),
      ...[1.5, 2.5, 6].map((mm) => [`Copper wire, bare, ${mm} mm²`, 'kg', 11, 14] as const),
      ...[6, 10].map((d) => [`Brass rod Ø${d} mm`, 'm', 2 + d * 0.4, 3 + d * 0.5] as const),
      ...[0.8, 1].map((d) => [`Welding wire SG2 Ø${d} mm (15 kg spool)`, 'pcs', 38, 49] as const),
    ],
  },
  {
    prefix: 'P',
    description: 'Packaging and shipping supplies.',
    items: [
      ...['300 x 200 x 150', '400 x 300 x 300', '600 x 400 x 400', '800 x 600 x 600'].map((dims, i) =>
        [`Cardboard box ${dims} mm, double wall`, 'pcs', 0.8 + i * 0.9, 1.2 + i * 1.2] as const),
      ['Stretch film 500 mm x 300 m, 23 µm', 'pcs', 11, 15],
      ['Stretch film hand roll 450 mm x 150 m', 'pcs', 6, 8.5],
      ['Packing tape, brown, 50 mm x 66 m', 'pcs', 1.6, 2.4],
      ['Pallet EUR 1200 x 800 mm, new', 'pcs', 14, 19],
      ['Bubble wrap 1,000 mm x 100 m', 'pcs', 24, 32],
      ['Strapping band PP 12 mm x 3,000 m', 'pcs', 26, 34],
      ['Shipping labels 100 x 150 mm (roll of 500)', 'pcs', 9, 13],
    ],
  },
  {
    prefix: 'H',
    description: 'Hoses, pipes, valves and fittings.',
    items: [
      ...[6, 8, 10, 12].map((d) => [`Compressed air hose PU ${d} mm (per m)`, 'm', 0.9 + d * 0.1, 1.2 + d * 0.14] as const),
      ['Garden hose 3/4" (per m)', 'm', 1.1, 1.6],
      ...([[8, 16], [12, 22], [20, 32], [32, 50]] as const).map(([a, b]) =>
        [`Hose clamp ${a}–${b} mm, W2 (box of 50)`, 'box', 9 + a * 0.2, 12 + a * 0.3] as const),
      ...['1/2"', '3/4"', '1"'].map((s, i) => [`Ball valve, brass, ${s}`, 'ea', 7 + i * 4, 9 + i * 5] as const),
      ...[32, 50, 110].map((d) => [`PVC pipe Ø${d} mm (per m)`, 'm', 1 + d * 0.04, 1.4 + d * 0.05] as const),
      ['Quick coupling 1/4" male', 'ea', 3.2, 4.5],
    ],
  },
  {
    prefix: 'D',
    description: 'Professional audio for installations.',
    items: [
      ['Ceiling speaker 6.5" 100 V, 20 W', 'ea', 34, 45],
      ['Wall-mount speaker, 2-way, 40 W, black', 'ea', 79, 99],
      ['Mid-range speaker 8", 60 W', 'ea', 49, 65],
      ['Active subwoofer 12", 300 W', 'ea', 349, 429],
      ['PA amplifier 120 W, 100 V line', 'ea', 219, 279],
      ['Wireless microphone set, handheld', 'ea', 189, 239],
      ['Speaker stand, aluminium (pair)', 'pcs', 69, 89],
      ['Volume control 100 V, 36 W', 'ea', 24, 32],
    ],
  },
];

/** Rounds a raw price to a catalogue-looking one (`12.95`, `149.00`, `0.89`). */
function catalogPrice(raw: number, random: SeededRandom): number {
  if (raw < 5) return Math.max(19, Math.round(raw * 20) * 5 - 1) / 100;
  return (Math.floor(raw) * 100 + random.pick([0, 49, 50, 95, 99])) / 100;
}

/** The full catalogue, in item-number order. Item numbers count up per family (`B0001`, `B0002`, …). */
export function buildCatalogue(random: SeededRandom): ProductSpec[] {
  const products: ProductSpec[] = [];
  for (const family of families) {
    // One price position per family, a little jitter per product: bigger sizes stay dearer.
    const position = random.next();
    family.items.forEach(([name, unit, low, high], i) => {
      products.push({
        itemNumber: `${family.prefix}${String(i + 1).padStart(4, '0')}`,
        name,
        description: family.description,
        unit,
        price: catalogPrice(low + (high - low) * (0.85 * position + 0.15 * random.next()), random),
      });
    });
  }
  return products;
}
