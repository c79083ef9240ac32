/** Labels of the supervision module shown by the console (generated into web/src/api/labels.gen.ts). */

/** [N 4.3] Where a finding was raised: the city's random spot check or a street's supervision visit. */
export const FINDING_SOURCE_LABELS = { spot_check: '市级抽查', street_visit: '街道督导' } as const;

/** [N 4.3] What a spot check samples. */
export const SAMPLE_UNIT_LABELS = { community: '社区', project: '项目' } as const;
