// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags
// A read under a visibly held lock is less likely a race than the same read
// without: the confidence drops (high without, lower with).
#include <net/sock.h>

void err_writer(struct sock *sk, int e)
{
	WRITE_ONCE(sk->sk_err, e);
}

static __poll_t good_poll(struct socket *sock)
{
	return READ_ONCE(sock->sk->sk_err) ? 8 : 0;
}

static __poll_t locked_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	int e;

	spin_lock(&sk->sk_lock);
	e = sk->sk_err;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'sock::sk_err' {{.*}}(confidence: medium, {{[0-9]+}}) [kmark-missing-read-once]
	spin_unlock(&sk->sk_lock);
	return e + sk->sk_err;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'sock::sk_err' {{.*}}(confidence: high, {{[0-9]+}}) [kmark-missing-read-once]
}

const struct proto_ops good_ops = { .poll = good_poll };
const struct proto_ops locked_ops = { .poll = locked_poll };
