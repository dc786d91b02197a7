/**
 * The left navigation. A future page slots in by adding an entry here (and a case in
 * `main.tsx`); entries with `coming: true` render disabled so the estate's shape is visible.
 */
export interface NavEntry {
  path: string;
  label: string;
  coming?: boolean;
}

export const NAV: NavEntry[] = [
  { path: '', label: 'Dashboard' },
  { path: 'channels', label: 'Channels' },
  { path: 'messages', label: 'Messages' },
  { path: 'dead-letters', label: 'Dead letters' },
  { path: 'alerts', label: 'Alerts and SLAs' },
  { path: 'processes', label: 'Processes' },
  { path: 'reconciliation', label: 'Reconciliation', coming: true },
  { path: 'master-data', label: 'Master data', coming: true },
  { path: 'catalog', label: 'Catalog' },
  { path: 'shadow', label: 'Shadow runs' },
];
