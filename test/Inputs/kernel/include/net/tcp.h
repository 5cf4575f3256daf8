/* TCP's socket, reduced to what kmark's tests need. */
#ifndef KMARK_TEST_NET_TCP_H
#define KMARK_TEST_NET_TCP_H

#include <net/sock.h>

struct tcp_sock {
  struct sock sk;
  u32 tsoffset;
  u32 write_seq;
  u32 snd_cwnd;
  u64 bytes_acked;
};

#define tcp_sk(ptr) container_of(ptr, struct tcp_sock, sk)

int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int len);
int tcp_v6_connect(struct sock *sk, struct sockaddr *uaddr, int len);
void tcp_init_sock(struct sock *sk);
__poll_t tcp_poll(struct socket *sock);
u32 secure_tcp_ts_off(void);

#endif
