import { useQuery } from '@tanstack/react-query';
import { calendarApi } from '../../api/endpoints';
import { FIRST_YEAR, useAppClock, yearOf, yearRange } from '../../utils/clock';

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number) => ['calendar', 'year', year] as const,
};

/** A year's calendar; waits while the year is not known yet (the clock is loading). */
export const useCalendarYear = (year: number | undefined) =>
  useQuery({
    queryKey: calendarKeys.year(year ?? 0),
    queryFn: ({ signal }) => calendarApi.year(year!, signal),
    enabled: year !== undefined,
  });

/**
 * The years the calendar page offers, newest first: from the scheme's first year to the year after
 * the clock's today (the State Council usually publishes the next year's notice in November), and
 * the fund year should it lie further out. Undefined while the clock loads.
 */
export function useCalendarYears(): { years: number[]; today: string; currentYear: number } | undefined {
  const clock = useAppClock();
  if (!clock) return undefined;
  const currentYear = yearOf(clock.today);
  const last = Math.max(currentYear + 1, clock.fundYear ?? currentYear);
  return { years: yearRange(FIRST_YEAR, last), today: clock.today, currentYear };
}
