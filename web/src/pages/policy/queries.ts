import { useQuery } from '@tanstack/react-query';
import { policyApi } from '../../api/endpoints';

export const policyKeys = {
  all: ['policy'] as const,
  years: () => ['policy', 'years'] as const,
  year: (year: number) => ['policy', 'year', year] as const,
};

export const usePolicyYears = () => useQuery({ queryKey: policyKeys.years(), queryFn: ({ signal }) => policyApi.years(signal) });

export const usePolicy = (year: number | undefined) =>
  useQuery({
    queryKey: policyKeys.year(year ?? 0),
    queryFn: ({ signal }) => policyApi.get(year!, signal),
    enabled: year !== undefined,
  });
