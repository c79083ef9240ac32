import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Tooltip } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { plansApi } from '../pages/plans/api';

/** The header's bell: unread in-app messages, one click to the to-do centre. */
export function MessageBell() {
  const messages = useQuery({ queryKey: ['messages'], queryFn: ({ signal }) => plansApi.messages(signal), refetchInterval: 60_000 });
  const unread = messages.data?.unread ?? 0;
  return (
    <Tooltip title={unread ? `${unread} 条未读消息` : '待办与消息'}>
      <Link to="/todo" aria-label={unread ? `待办与消息：${unread} 条未读` : '待办与消息'} data-testid="message-bell">
        <Badge count={unread} size="small">
          <Button type="text" size="small" icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />} />
        </Badge>
      </Link>
    </Tooltip>
  );
}
