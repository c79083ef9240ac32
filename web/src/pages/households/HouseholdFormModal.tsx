import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { householdsApi, type Household, type MemberInput } from './api';

interface FormValues {
  householdNo: string;
  building: string;
  unit?: string;
  room: string;
  headName: string;
  phone: string;
  residents: number;
  members?: { name: string; isRepresentative?: boolean; isCouncilMember?: boolean; idNumber?: string; hasIdNumber?: boolean }[];
}

/** 新增 (POST /regions/:code/households) or 编辑 (PATCH /households/:id) one household. */
export function HouseholdFormModal({
  code,
  household,
  onClose,
}: {
  code: string;
  household: Household | null;
  onClose: (saved: boolean) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const members: MemberInput[] = (v.members ?? [])
        .filter((m) => m?.name?.trim())
        .map((m) => ({
          name: m.name.trim(),
          isRepresentative: Boolean(m.isRepresentative),
          isCouncilMember: Boolean(m.isCouncilMember),
          // Left empty, the server keeps the member's stored (hashed) ID number.
          ...(m.idNumber?.trim() ? { idNumber: m.idNumber.trim() } : {}),
        }));
      const fields = {
        building: v.building.trim(),
        unit: (v.unit ?? '').trim(),
        room: v.room.trim(),
        headName: v.headName.trim(),
        phone: v.phone.trim(),
        residents: v.residents,
        members,
      };
      return household
        ? householdsApi.update(household.id, fields)
        : householdsApi.create(code, { householdNo: v.householdNo.trim(), ...fields });
    },
    onSuccess: () => onClose(true),
  });
  const initialValues: Partial<FormValues> = household
    ? {
        householdNo: household.householdNo,
        building: household.building,
        unit: household.unit,
        room: household.room,
        headName: household.headName,
        phone: household.phone,
        residents: household.residents,
        members: household.members.map((m) => ({
          name: m.name,
          isRepresentative: m.isRepresentative,
          isCouncilMember: m.isCouncilMember,
          hasIdNumber: m.hasIdNumber,
        })),
      }
    : { residents: 1, members: [] };
  return (
    <Modal
      open
      title={household ? `编辑住户 ${household.householdNo}` : '新增住户'}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      width={720}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="householdNo" label="户号" rules={[{ required: true, whitespace: true, message: '请填写户号' }, { max: 30 }]}>
              <Input disabled={Boolean(household)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="headName"
              label="户主姓名"
              rules={[{ required: true, whitespace: true, message: '请填写户主姓名' }, { max: 30 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="phone" label="联系电话" rules={[{ required: true, whitespace: true, message: '请填写联系电话' }, { max: 20 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item name="building" label="楼栋" rules={[{ required: true, whitespace: true, message: '请填写楼栋' }, { max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="unit" label="单元" rules={[{ max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="room" label="房号" rules={[{ required: true, whitespace: true, message: '请填写房号' }, { max: 30 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="residents" label="常住人数" rules={[{ required: true, message: '请填写常住人数' }]}>
              <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>居民代表 / 议事会成员</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
          身份证号仅保存加盐哈希；编辑时留空则保留原有记录。
        </Typography.Paragraph>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: '姓名' }, { max: 30 }]}>
                    <Input placeholder="姓名" style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'isRepresentative']} valuePropName="checked">
                    <Checkbox>居民代表</Checkbox>
                  </Form.Item>
                  <Form.Item name={[f.name, 'isCouncilMember']} valuePropName="checked">
                    <Checkbox>议事会成员</Checkbox>
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => (
                      <Form.Item name={[f.name, 'idNumber']} rules={[{ max: 18 }]}>
                        <Input
                          placeholder={form.getFieldValue(['members', f.name, 'hasIdNumber']) ? '身份证号（已登记）' : '身份证号（选填）'}
                          style={{ width: 200 }}
                        />
                      </Form.Item>
                    )}
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ name: '', isRepresentative: true, isCouncilMember: false })}
                disabled={fields.length >= 20}
              >
                添加成员
              </Button>
            </>
          )}
        </Form.List>
        {save.isError && <Alert type="error" showIcon message={errorMessage(save.error)} style={{ marginTop: 12 }} />}
      </Form>
    </Modal>
  );
}
