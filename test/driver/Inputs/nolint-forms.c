/* NOLINT forms where a line-by-line reading and clang-tidy disagree: the
 * plugin (through clang-tidy) and kmark check (kmark's own reading) must
 * suppress the same findings.  Each store below is a finding unless a
 * directive covers it. */
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

void cwnd_writer(struct tcp_sock *tp)
{
	tp->snd_cwnd = 1; /* NOLINT(kmark-*-once) */
	tp->snd_cwnd = 2; /* NOLINT( bugprone-* , kmark-missing-write-once ) */
	tp->snd_cwnd = 3; /* NOLINT(-kmark-missing-write-once) */
	tp->snd_cwnd = 4; /* NOLINT() */
	tp->snd_cwnd = 5; /* NOLINTFOO */
	/* NOLINTBEGIN(kmark-*) */
	tp->snd_cwnd = 6;
	/* NOLINTEND(*) */
	tp->snd_cwnd = 7;
	/* NOLINTBEGIN */ tp->snd_cwnd = 8;
	/* NOLINTEND */
	tp->snd_cwnd = 9; /* NOLINTNEXTLINE */
	tp->snd_cwnd = 10;
}
