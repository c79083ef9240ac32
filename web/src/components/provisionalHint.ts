/** Why a date is 暂定 when the API does not say (ADR 0009). No Ant Design here: the residents' pages use it too. */
export const PROVISIONAL_HINT = '暂定：按尚未录入国务院节假日安排的年度推算（仅计法定节假日和周末，未计调休）；通知录入后自动重算';
