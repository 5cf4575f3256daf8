// RUN: %check_kmark %s kmark-missing-read-once %t -- %kernel_flags
// A peer in the same ops slot reads the field with READ_ONCE(): this
// function's plain read is inconsistent (smc_poll against tcp_poll).
#include <net/sock.h>

void err_writer(struct sock *sk, int e)
{
	WRITE_ONCE(sk->sk_err, e);
}

static __poll_t good_poll(struct socket *sock)
{
	return READ_ONCE(sock->sk->sk_err) ? 8 : 0;
}

static __poll_t bad_poll(struct socket *sock)
{
	return sock->sk->sk_err ? 8 : 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'sock::sk_err' races with err_writer(), which writes it with WRITE_ONCE(); good_poll(), also 'proto_ops.poll', reads it with READ_ONCE() (confidence: high, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-MESSAGES: :8:13: note: err_writer() writes 'sk->sk_err' with WRITE_ONCE()
	// CHECK-MESSAGES: :13:19: note: good_poll(), also 'proto_ops.poll' of 'good_ops', reads it with READ_ONCE()
	// CHECK-MESSAGES: :[[@LINE+9]]:10: note: bad_poll() is 'proto_ops.poll' of 'bad_ops', which runs without the writers' lock
	// CHECK-FIXES: return READ_ONCE(sock->sk->sk_err) ? 8 : 0;
}

const struct proto_ops good_ops = {
	.poll = good_poll,
};

const struct proto_ops bad_ops = {
	.poll = bad_poll,
};
