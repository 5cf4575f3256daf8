// SPDX-License-Identifier: GPL-2.0
/* The stream socket operations of IPv4, written for kmark after
 * net/ipv4/af_inet.c: tcp_poll() is their .poll. */
#include <net/tcp.h>

const struct proto_ops inet_stream_ops = {
	.poll = tcp_poll,
};
