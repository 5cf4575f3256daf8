// A race visible in one TU, for the robustness tests.
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

void cwnd_writer(struct tcp_sock *tp)
{
	/* padding so the store is on line 13 */

	tp->snd_cwnd = 1;
}
