import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { systemApi } from '../api/endpoints';
import type { ClockResponse } from '../api/endpoints';

export const CLOCK_QUERY_KEY = ['system', 'clock'] as const;

/** The first fund year of the scheme (沈民发〔2023〕11号): year pickers start here. */
export const FIRST_YEAR = 2023;

/** 'YYYY-MM-DD' → its year. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));

/**
 * The server's application clock (GET /api/clock, public): today in China and the fund year the
 * console opens on. Business dates and default years come from here, never from the browser's
 * clock, so that a server set to another date (STARFUND_NOW) is followed. Undefined while loading.
 */
export function useAppClock(): ClockResponse | undefined {
  return useQuery({
    queryKey: CLOCK_QUERY_KEY,
    queryFn: ({ signal }) => systemApi.clock(signal),
    staleTime: 30 * 60 * 1000,
  }).data;
}

/** Today by the server's clock, 'YYYY-MM-DD'; undefined while loading. */
export const useToday = (): string | undefined => useAppClock()?.today;

/** The fund year the console opens on (the calendar year of today when no policy is configured); undefined while loading. */
export function useFundYear(): number | undefined {
  const clock = useAppClock();
  if (!clock) return undefined;
  return clock.fundYear ?? yearOf(clock.today);
}

/**
 * The year a page works in: the user's explicit choice once made, otherwise the fund year of the
 * clock. Undefined until the clock has answered — queries that need it wait (`enabled`).
 */
export function useYearChoice(): [number | undefined, (year: number) => void] {
  const fundYear = useFundYear();
  const [chosen, setChosen] = useState<number>();
  return [chosen ?? fundYear, setChosen];
}

/** Years `from`…`to` inclusive, newest first (for a YearSelect). */
export function yearRange(from: number, to: number): number[] {
  const years: number[] = [];
  for (let y = to; y >= from; y -= 1) years.push(y);
  return years;
}
