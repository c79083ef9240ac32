import { useParams } from 'react-router';
import { ErrorView } from '../../components/ErrorView';
import { PageLoading } from '../../components/PageLoading';
import { useScopeRoot } from './queries';
import { RegionView } from './RegionView';

/** /regions opens at the account's scope root; /regions/:code at that region. */
export default function RegionsPage() {
  const { code } = useParams<{ code: string }>();
  if (code) return <RegionView key={code} code={code} />;
  return <ScopeRootView />;
}

function ScopeRootView() {
  const scope = useScopeRoot();
  if (scope.isPending) return <PageLoading />;
  if (scope.isError) return <ErrorView error={scope.error} what="辖区" onRetry={() => void scope.refetch()} />;
  return <RegionView code={scope.data.root.code} />;
}
