/* A socket with the fields kmark's tests race on. */
#ifndef KMARK_TEST_NET_SOCK_H
#define KMARK_TEST_NET_SOCK_H

#include <linux/lock.h>

struct sock_common {
  union {
    u32 skc_hash;
    u16 skc_u16hashes[2];
  };
  volatile unsigned char skc_state;
};

struct sock {
  struct sock_common __sk_common;
#define sk_state __sk_common.skc_state
#define sk_hash __sk_common.skc_hash
  spinlock_t sk_lock;
  int sk_err;
  int sk_err_soft;
  u32 sk_shutdown : 2, sk_userlocks : 4;
  u32 sk_rcvbuf;
  u32 sk_sndbuf;
  unsigned long sk_flags;
  u8 sk_addr[16];
  struct { u32 lo, hi, extra; } sk_cookie;
  atomic_t sk_drops;
  void *sk_user_data;
  u32 sk_mark __data_racy;
};

struct socket {
  struct sock *sk;
};

typedef unsigned int __poll_t;
struct msghdr;
struct sockaddr;

struct proto {
  int (*connect)(struct sock *sk, struct sockaddr *uaddr, int len);
  int (*init)(struct sock *sk);
  int (*getsockopt)(struct sock *sk, int level, int optname, char *optval,
                    int *optlen);
};

struct proto_ops {
  __poll_t (*poll)(struct socket *sock);
  int (*connect)(struct socket *sock, struct sockaddr *uaddr, int len);
};

void lock_sock(struct sock *sk);
void release_sock(struct sock *sk);
#define sock_owned_by_me(sk) lockdep_assert_held(&(sk)->sk_lock)

struct sock *sk_alloc(int family, int priority);
struct sock *sk_clone_lock(const struct sock *sk, int priority);

#endif
