/* TCP's socket, reduced to what kmark's examples and tests need. */
#ifndef KMARK_EXAMPLE_NET_TCP_H
#define KMARK_EXAMPLE_NET_TCP_H

#include <net/sock.h>

struct tcp_sock {
  struct sock sk;
  u32 tsoffset;
  u32 write_seq;
  u32 snd_cwnd;
  u64 bytes_acked;
};

#define tcp_sk(ptr) container_of(ptr, struct tcp_sock, sk)

struct tcp_seq_ts {
  u32 seq;
  u32 ts_off;
};

struct tcp_seq_ts secure_tcp_seq_ts(const struct sock *sk);
u32 tcp_clock_us(void);
void tcp_init_sock(struct sock *sk);
__poll_t tcp_poll(struct socket *sock);
int do_tcp_getsockopt(struct sock *sk, int optname, u32 *val);

#endif
