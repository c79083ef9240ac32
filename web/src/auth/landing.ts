import type { Role } from '../api/labels.gen';

/** Roles whose work starts from their 工作台 (the city's dashboard; a district's is the same page scoped to it). */
const WORKBENCH_ROLES: readonly Role[] = ['city_bureau', 'district_bureau'];

/**
 * Where a login lands when it was not sent back to a page it came from: the city bureau and a district
 * bureau on their 工作台 (/city-dashboard), every other role on the home page and its to-do.
 */
export function landingPath(role: Role | undefined, from: string): string {
  if (from !== '/') return from;
  return role && WORKBENCH_ROLES.includes(role) ? '/city-dashboard' : '/';
}
