/** Labels of the region levels, for the console (generated into web/src/api/labels.gen.ts). */
export const LEVEL_LABELS = {
  city: '市',
  district: '区（县、市）',
  street: '街道（乡镇）',
  community: '社区',
} as const;
