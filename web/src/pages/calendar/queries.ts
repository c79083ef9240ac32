import { useQuery } from '@tanstack/react-query';
import { calendarApi } from '../../api/endpoints';

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number) => ['calendar', 'year', year] as const,
};

export const useCalendarYear = (year: number) =>
  useQuery({ queryKey: calendarKeys.year(year), queryFn: ({ signal }) => calendarApi.year(year, signal) });

export const CALENDAR_YEARS = [2023, 2024, 2025, 2026, 2027];
