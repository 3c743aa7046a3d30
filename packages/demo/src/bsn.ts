/** The elfproef (eleven test) for BSNs: weights 9..2 and -1, sum divisible by 11, 000000000 refused. */
export function isElfproefValid(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn) || bsn === "000000000") return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * (bsn.charCodeAt(i) - 48);
  sum -= bsn.charCodeAt(8) - 48;
  return sum % 11 === 0;
}
