import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import { regionsApi } from '../../api/endpoints';
import type { CommunityProfile, ProfilePatch, RegionDetailResponse } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { regionKeys } from './queries';

interface FormValues {
  residentHouseholds: number;
  representatives: number;
  councilMembers: number;
  address: string;
  contactPhone: string;
}

/** Only the fields that changed; a cleared text field is sent as null. */
function diff(community: CommunityProfile, values: FormValues): ProfilePatch {
  const patch: ProfilePatch = {};
  if (values.residentHouseholds !== community.residentHouseholds) patch.residentHouseholds = values.residentHouseholds;
  if (values.representatives !== community.representatives) patch.representatives = values.representatives;
  if (values.councilMembers !== community.councilMembers) patch.councilMembers = values.councilMembers;
  const address = values.address?.trim() || null;
  if (address !== (community.address ?? null)) patch.address = address;
  const phone = values.contactPhone?.trim() || null;
  if (phone !== (community.contactPhone ?? null)) patch.contactPhone = phone;
  return patch;
}

export function ProfileEditModal({ community, onClose }: { community: CommunityProfile; onClose: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const save = useMutation({
    mutationFn: (patch: ProfilePatch) => regionsApi.patchProfile(community.code, patch),
    onSuccess: ({ community: updated }) => {
      queryClient.setQueryData<RegionDetailResponse>(regionKeys.detail(community.code), (old) =>
        old ? { ...old, community: updated } : old,
      );
      void queryClient.invalidateQueries({ queryKey: regionKeys.all });
      message.success('社区信息已保存');
      onClose();
    },
  });

  const onOk = async () => {
    const values = await form.validateFields();
    const patch = diff(community, values);
    if (Object.keys(patch).length === 0) {
      message.info('没有修改');
      onClose();
      return;
    }
    save.mutate(patch);
  };

  const count = (label: string) => [
    { required: true, message: `请输入${label}` },
    { type: 'integer' as const, min: 0, message: `${label}须为非负整数` },
  ];

  return (
    <Modal
      open
      title={`编辑社区信息 · ${community.name}`}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => void onOk()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {save.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={save.error} />
        </div>
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{
          residentHouseholds: community.residentHouseholds,
          representatives: community.representatives,
          councilMembers: community.councilMembers,
          address: community.address ?? '',
          contactPhone: community.contactPhone ?? '',
        }}
      >
        <Form.Item label="常住人口户数" name="residentHouseholds" rules={count('常住人口户数')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} suffix="户" />
        </Form.Item>
        <Form.Item label="居民代表人数" name="representatives" rules={count('居民代表人数')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} suffix="人" />
        </Form.Item>
        <Form.Item label="议事会成员人数" name="councilMembers" rules={count('议事会成员人数')}>
          <InputNumber min={0} precision={0} style={{ width: '100%' }} suffix="人" />
        </Form.Item>
        <Form.Item label="地址" name="address" rules={[{ max: 200, message: '地址不超过200字' }]}>
          <Input placeholder="社区办公地址" />
        </Form.Item>
        <Form.Item
          label="联系电话"
          name="contactPhone"
          rules={[{ pattern: /^[0-9+\-()（）\s转]{0,32}$/, message: '请输入有效的电话号码' }]}
        >
          <Input placeholder="如 024-12345678" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
