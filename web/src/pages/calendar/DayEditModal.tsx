import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { calendarApi } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { CalendarDay } from '../../api/endpoints';
import { ErrorAlert } from '../../components/ErrorView';
import { weekdayText } from '../../utils/format';
import { calendarKeys } from './queries';

export interface DayEditTarget {
  /** null: pick a date in the form (the 添加 button). */
  date: string | null;
  existing: CalendarDay | undefined;
}

interface FormValues {
  date: Dayjs;
  isOffDay: boolean;
  name: string;
}

export function DayEditModal({ year, target, onClose }: { year: number; target: DayEditTarget; onClose: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const refresh = () => queryClient.invalidateQueries({ queryKey: calendarKeys.all });

  const save = useMutation({
    mutationFn: (v: { date: string; isOffDay: boolean; name: string }) =>
      calendarApi.putDay(v.date, { isOffDay: v.isOffDay, name: v.name }),
    onSuccess: (_, v) => {
      message.success(`已保存 ${v.date}`);
      void refresh();
      onClose();
    },
  });
  const remove = useMutation({
    mutationFn: (date: string) => calendarApi.deleteDay(date),
    onSuccess: (_, date) => {
      message.success(`已删除 ${date}`);
      void refresh();
      onClose();
    },
    onError: (error) => message.error(errorMessage(error)),
  });

  const isWeekend = (d: Dayjs) => d.day() === 0 || d.day() === 6;
  const initialDate = target.date ? dayjs(target.date) : undefined;

  const onOk = async () => {
    const values = await form.validateFields();
    save.mutate({ date: values.date.format('YYYY-MM-DD'), isOffDay: values.isOffDay, name: values.name.trim() });
  };

  return (
    <Modal
      open
      title={
        target.existing
          ? `修改 ${target.existing.date}`
          : target.date
            ? `设置 ${target.date}（${weekdayText(target.date)}）`
            : '添加节假日或调休'
      }
      onCancel={onClose}
      destroyOnHidden
      footer={[
        target.existing && (
          <Button key="delete" danger loading={remove.isPending} onClick={() => remove.mutate(target.existing!.date)}>
            删除
          </Button>
        ),
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="ok" type="primary" loading={save.isPending} onClick={() => void onOk()}>
          保存
        </Button>,
      ]}
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
          date: initialDate,
          isOffDay: target.existing ? target.existing.isOffDay : initialDate ? !isWeekend(initialDate) : true,
          name: target.existing?.name ?? '',
        }}
      >
        <Form.Item label="日期" name="date" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker
            disabled={target.date !== null}
            style={{ width: '100%' }}
            disabledDate={(d) => d.year() !== year}
            defaultPickerValue={dayjs(`${year}-01-01`)}
          />
        </Form.Item>
        <Form.Item label="类型" name="isOffDay" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: true, label: '休（放假）' },
              { value: false, label: '班（调休上班）' },
            ]}
          />
        </Form.Item>
        <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入名称，如 春节' }]}>
          <Input placeholder="如 春节、国庆节" maxLength={32} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
