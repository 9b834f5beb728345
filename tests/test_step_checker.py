"""The checker of the student's training step (wgan_tutorial.step_checker), issue #12."""

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import step_checker  # noqa: E402


def student_step(mistake=None, gp_weight=None):
    """A training step as a student writes it from Algorithm 1, in plain TensorFlow, with
    one of the checker's mistakes made on purpose (None: the correct step)."""

    def step(wgan, real):
        batch_size = real.shape[1]
        lam = wgan.gp_weight if gp_weight is None else gp_weight
        for i in range(wgan.n_critic):
            x = real[0] if mistake == "one real batch" else real[i]
            z = keras.random.normal((batch_size, wgan.noise_dim), seed=wgan.seed_generator)
            x_fake = wgan.generator(z)
            if mistake == "clip before update":
                for w in wgan.critic.trainable_variables:
                    w.assign(tf.clip_by_value(w, -wgan.clip_value, wgan.clip_value))
            with tf.GradientTape() as tape:
                w_estimate = tf.reduce_mean(wgan.critic(x)) - tf.reduce_mean(wgan.critic(x_fake))
                critic_loss = w_estimate if mistake == "critic sign" else -w_estimate
                if wgan.loss_type == "gp":
                    if mistake == "normal epsilon":
                        eps = keras.random.normal((batch_size, 1), seed=wgan.seed_generator)
                    else:
                        eps = keras.random.uniform((batch_size, 1), seed=wgan.seed_generator)
                    x_hat = eps * x + (1 - eps) * x_fake
                    with tf.GradientTape() as inner:
                        inner.watch(x_hat)
                        f_hat = wgan.critic(x_hat)
                    g = inner.gradient(f_hat, x_hat)
                    if mistake == "no sqrt epsilon":
                        norm = tf.norm(g, axis=1)
                    else:
                        norm = tf.sqrt(tf.reduce_sum(g**2, axis=1) + 1e-12)
                    critic_loss += lam * tf.reduce_mean((norm - 1) ** 2)
            grads = tape.gradient(critic_loss, wgan.critic.trainable_variables)
            wgan.critic_optimizer.apply_gradients(
                zip(grads, wgan.critic.trainable_variables, strict=True)
            )
            if wgan.loss_type == "clip" and mistake != "clip before update":
                for w in wgan.critic.trainable_variables:
                    w.assign(tf.clip_by_value(w, -wgan.clip_value, wgan.clip_value))
        z = keras.random.normal((batch_size, wgan.noise_dim), seed=wgan.seed_generator)
        with tf.GradientTape() as tape:
            f_fake = tf.reduce_mean(wgan.critic(wgan.generator(z)))
            generator_loss = f_fake if mistake == "generator sign" else -f_fake
        grads = tape.gradient(generator_loss, wgan.generator.trainable_variables)
        wgan.generator_optimizer.apply_gradients(
            zip(grads, wgan.generator.trainable_variables, strict=True)
        )

    return step


@pytest.mark.parametrize("loss", ["clip", "gp"])
def test_a_correct_student_step_passes(loss):
    result = step_checker.check_train_step(student_step(), loss)
    assert result.passed and result.mistake is None, result.message
    assert result.max_difference <= step_checker.TOLERANCE
    assert result.message.startswith("Correct")


@pytest.mark.parametrize("loss", ["clip", "gp"])
def test_the_checkers_own_mistake_free_step_matches_the_package(loss):
    # mistaken_step(None) is the reference for naming mistakes: it must equal train_step
    assert step_checker.check_train_step(step_checker.mistaken_step(None), loss).passed


@pytest.mark.parametrize(
    "loss, mistake",
    [
        (loss, mistake)
        for loss, mistakes in step_checker.LOSS_MISTAKES.items()
        for mistake in mistakes
    ],
)
def test_each_common_mistake_is_caught_and_named(loss, mistake):
    result = step_checker.check_train_step(student_step(mistake), loss)
    assert not result.passed
    assert result.mistake == mistake, result.message
    assert step_checker.MISTAKES[mistake] in result.message


def test_an_unlisted_mistake_fails_without_a_wrong_name():
    result = step_checker.check_train_step(student_step(gp_weight=1.0), "gp")  # lambda 1
    assert not result.passed and result.mistake is None
    assert "none of the common mistakes" in result.message


def test_a_step_that_does_nothing_fails():
    result = step_checker.check_train_step(lambda wgan, real: None, "clip")
    assert not result.passed and result.max_difference > 1e-3
    assert "leaves every weight" in result.message


@pytest.mark.parametrize(
    "argument, message",
    [
        (dict(loss="hinge"), "loss must be 'clip' or 'gp'"),
        (dict(step="not a function"), "step must be a function"),
    ],
)
def test_bad_arguments_are_named(argument, message):
    arguments = dict(step=student_step(), loss="gp") | argument
    with pytest.raises(ValueError, match=message):
        step_checker.check_train_step(**arguments)


def test_checking_leaves_the_global_random_state_alone():
    before = np.random.get_state()[1].copy()
    step_checker.check_train_step(student_step(), "clip")
    np.testing.assert_array_equal(np.random.get_state()[1], before)
