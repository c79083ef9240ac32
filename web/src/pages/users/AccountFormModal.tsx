import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, type FormInstance } from 'antd';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorView';
import { LEVEL_LABELS } from '../../utils/format';
import { accountKeys, accountsApi, type Account, type AccountPatch, type AccountWithPassword, type Assignable } from './api';
import { RegionTreeSelect, type RegionValue } from './RegionTree';

interface Values {
  username: string;
  displayName: string;
  role: Account['role'];
  region: RegionValue | undefined;
  phone: string;
}

/** The form field of each body field the server may name in an error. */
const FIELDS: Record<string, keyof Values> = {
  username: 'username',
  displayName: 'displayName',
  role: 'role',
  regionCode: 'region',
  phone: 'phone',
};

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * 新增账号 / 编辑账号: a Form in a Modal. The roles and the region tree are what the administrator may
 * assign (GET /api/auth/users/assignable); the region can be chosen only at the level the role needs.
 * A new account's one-time password goes to `onCreated`.
 */
export function AccountFormModal({
  assignable,
  account,
  onClose,
  onCreated,
}: {
  assignable: Assignable;
  /** The account edited; a new one when absent. */
  account?: Account;
  onClose: () => void;
  onCreated: (created: AccountWithPassword) => void;
}) {
  const [form] = Form.useForm<Values>();
  const save = useSaveAccount(form, assignable, account, (created) => {
    if (created) onCreated(created);
    onClose();
  });
  const fieldError = isApiError(save.error) && save.error.field !== undefined && save.error.field in FIELDS;
  return (
    <Modal
      open
      title={account ? `编辑账号：${account.username}` : '新增账号'}
      okText={account ? '保存' : '创建账号'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      maskClosable={false}
      destroyOnHidden
    >
      {save.isError && !fieldError && <ErrorAlert error={save.error} title={account ? '未能保存' : '未能创建账号'} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          account
            ? {
                displayName: account.displayName,
                phone: account.phone ?? '',
                role: account.role,
                region: account.scopeCode ? { value: account.scopeCode, label: account.scopeName ?? account.scopeCode } : undefined,
              }
            : { phone: '' }
        }
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<Values>) => {
          // A region is of the level its role needs: another role, another region.
          if ('role' in changed) form.setFieldValue('region', undefined);
        }}
      >
        <AccountFields form={form} assignable={assignable} account={account} />
      </Form>
    </Modal>
  );
}

/** POST /api/auth/users (answering the one-time password) or PATCH /api/auth/users/:id with what changed. */
function useSaveAccount(
  form: FormInstance<Values>,
  assignable: Assignable,
  account: Account | undefined,
  onSaved: (created: AccountWithPassword | null) => void,
) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: Values) => {
      const regionCode = v.region?.value ?? '';
      const phone = v.phone?.trim() ?? '';
      const displayName = v.displayName.trim();
      // The roles one may assign are the administrator's own list (the server checks it again).
      const role = assignable.roles.find((r) => r.role === v.role)?.role;
      if (!role) throw new Error('请选择可分配的角色');
      if (!account) {
        return accountsApi.create({ username: v.username.trim(), displayName, role, regionCode, ...(phone ? { phone } : {}) });
      }
      // Only what changed: an unchanged role or region is not a move.
      const patch: AccountPatch = {};
      if (displayName !== account.displayName) patch.displayName = displayName;
      if ((phone || null) !== account.phone) patch.phone = phone || null;
      if (role !== account.role) patch.role = role;
      if (regionCode !== account.scopeCode) patch.regionCode = regionCode;
      await accountsApi.update(account.id, patch);
      return null;
    },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      if (!created) void message.success('已保存');
      onSaved(created);
    },
    onError: (error) => {
      const name = isApiError(error) && error.field ? FIELDS[error.field] : undefined;
      if (name) form.setFields([{ name, errors: [error.message] }]);
    },
  });
}

function AccountFields({ form, assignable, account }: { form: FormInstance<Values>; assignable: Assignable; account?: Account }) {
  const role = Form.useWatch('role', form);
  const level = assignable.roles.find((r) => r.role === role)?.regionLevel;
  const roles: { value: Account['role']; label: string }[] = assignable.roles.map((r) => ({
    value: r.role,
    label: `${r.roleLabel}（${LEVEL_LABELS[r.regionLevel] ?? r.regionLevel}）`,
  }));
  if (account && !roles.some((r) => r.value === account.role)) roles.push({ value: account.role, label: account.roleLabel });
  return (
    <>
      {!account && (
        <Form.Item
          name="username"
          label="用户名"
          extra="小写字母、数字、点、下划线或连字符，3–64 位，如 community-210102001001"
          rules={[
            { required: true, message: '请输入用户名' },
            { min: 3, max: 64, message: '3–64 位' },
            { pattern: USERNAME, message: '只能用小写字母、数字、点、下划线或连字符，且以字母或数字开头' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label="姓名 / 名称"
        rules={[{ required: true, whitespace: true, max: 64, message: '请输入姓名或名称' }]}
      >
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
        <Select options={roles} placeholder="选择角色" />
      </Form.Item>
      <Form.Item
        name="region"
        label="区划"
        extra={level ? `该角色须选择${LEVEL_LABELS[level] ?? level}级区划` : undefined}
        rules={[{ required: true, message: '请选择区划' }]}
      >
        <RegionTreeSelect root={assignable.root} level={level} />
      </Form.Item>
      <Form.Item name="phone" label="手机" rules={[{ pattern: PHONE, message: '手机号 11 位，或固定电话如 024-12345678' }]}>
        <Input maxLength={20} />
      </Form.Item>
    </>
  );
}
