// SPDX-License-Identifier: GPL-2.0
/* A timestamp on TCP's send path, written for kmark after the shapes of
 * net/ipv4/tcp_output.c.  It runs under the socket lock, like every writer
 * of tsoffset, so the read stays plain. */
#include <net/tcp.h>

u32 tcp_tsval_now(const struct tcp_sock *tp)
{
	return tcp_clock_us() + tp->tsoffset;
}
