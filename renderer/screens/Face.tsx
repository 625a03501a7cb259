/** A simple face for CSI scores 1–5: the mouth bends from a frown (1) to a broad smile (5). Decorative only. */
export function Face({ score }: { score: number }) {
  const bend = (score - 3) * 7; // -14 … +14: how far the mouth's middle dips below its corners
  return (
    <svg className="score__face" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <circle cx="32" cy="32" r="29" fill="none" stroke="currentColor" strokeWidth="4" />
      <circle cx="22" cy="25" r="4" fill="currentColor" />
      <circle cx="42" cy="25" r="4" fill="currentColor" />
      <path
        d={`M18 ${44 - bend / 2} Q32 ${44 + bend} 46 ${44 - bend / 2}`}
        fill="none"
        stroke="currentColor"
        strokeWidth="4"
        strokeLinecap="round"
      />
    </svg>
  );
}
