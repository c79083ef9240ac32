import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import { errorMessage } from '../../api/client';
import { usePublicUrl } from '../../components/usePublicUrl';
import { needsApi } from './api';

/** A printable A4 poster for the courtyard notice board, with the QR code of the answer page. */
export default function PosterPage() {
  const id = Number(useParams().campaignId);
  const campaign = useQuery({ queryKey: ['public-needs', id], queryFn: ({ signal }) => needsApi.publicCampaign(id, signal) });
  // The address printed and encoded is the configured PUBLIC_BASE_URL, never this page's host.
  const url = usePublicUrl(`/r/${id}`);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (url) void QRCode.toDataURL(url, { width: 480, margin: 1, errorCorrectionLevel: 'M' }).then(setQr);
  }, [url]);

  if (campaign.isLoading) return <Spin style={{ display: 'block', margin: '30vh auto' }} />;
  if (campaign.isError || !campaign.data) return <Result status="404" title="问卷不存在" subTitle={errorMessage(campaign.error)} />;
  const c = campaign.data;
  return (
    <div className="needs-poster">
      <style>{`
        @page { size: A4; margin: 15mm; }
        .needs-poster { width: 180mm; min-height: 260mm; margin: 0 auto; padding: 10mm; text-align: center; font-family: "PingFang SC","Microsoft YaHei",sans-serif; }
        .needs-poster h1 { font-size: 30pt; color: #b71c1c; margin: 6mm 0; }
        .needs-poster .sub { font-size: 14pt; color: #444; }
        .needs-poster ul { text-align: left; font-size: 13pt; line-height: 1.8; margin: 6mm auto; max-width: 150mm; }
        @media print { .no-print { display: none !important; } }
      `}</style>
      <div className="no-print" style={{ textAlign: 'right' }}>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
      </div>
      <div className="sub">{[c.districtName, c.streetName, c.communityName].filter(Boolean).join(' · ')}</div>
      <h1>{c.title}</h1>
      <div className="sub">
        一户一票 · 征集时间 {c.opensOn} 至 {c.closesOn}
      </div>
      {qr && (
        <img
          src={qr}
          alt="扫码填写"
          style={{ width: '90mm', height: '90mm', margin: '8mm auto', display: 'block' }}
          data-testid="poster-qr"
          data-url={url ?? undefined}
        />
      )}
      <div className="sub" style={{ fontSize: '16pt' }}>
        微信或手机相机扫码，填写您家希望社区开展的服务
      </div>
      <ul>
        <li>凭户号、户主姓名和登记手机号后四位，或社区发放的一次性验证码填写；</li>
        <li>每户计一次，网上与纸质问卷不重复计算；</li>
        <li>可选服务：{c.questionnaire.items.map((i) => i.name).join('、')}；</li>
        <li>不方便上网的居民，可到社区居委会填写纸质问卷或参加院落会议。</li>
      </ul>
      <div style={{ fontSize: '10pt', color: '#595959', wordBreak: 'break-all' }} data-testid="poster-url">
        {url}
      </div>
    </div>
  );
}
