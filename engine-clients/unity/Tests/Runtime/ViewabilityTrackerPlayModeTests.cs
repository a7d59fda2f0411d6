using System.Collections;
using NUnit.Framework;
using UnityEngine;
using UnityEngine.TestTools;

namespace Vitrine.Unity.Tests
{
    /// <summary>Checks the tracker's screen geometry against a real camera and a quad.</summary>
    public sealed class ViewabilityTrackerPlayModeTests
    {
        private GameObject _camera;
        private GameObject _quad;

        [SetUp]
        public void CreateScene()
        {
            _camera = new GameObject("Camera", typeof(Camera));
            _camera.tag = "MainCamera";
            _camera.transform.position = new Vector3(0, 0, -5);
            _quad = GameObject.CreatePrimitive(PrimitiveType.Quad);
            _quad.AddComponent<ViewabilityTracker>();
        }

        [TearDown]
        public void DestroyScene()
        {
            Object.Destroy(_quad);
            Object.Destroy(_camera);
        }

        [UnityTest]
        public IEnumerator A_quad_facing_the_camera_is_on_screen_head_on()
        {
            yield return null;
            yield return null;

            var tracker = _quad.GetComponent<ViewabilityTracker>();
            Assert.That(tracker.ScreenFraction, Is.GreaterThan(0.015f));
            Assert.That(tracker.VisibleFraction, Is.EqualTo(1f).Within(0.01f));
            Assert.That(tracker.ViewAngleDeg, Is.LessThan(1f));
        }

        [UnityTest]
        public IEnumerator A_quad_behind_the_camera_is_not_on_screen()
        {
            _quad.transform.position = new Vector3(0, 0, -10);
            yield return null;
            yield return null;

            Assert.That(_quad.GetComponent<ViewabilityTracker>().IsOnScreen, Is.False);
        }
    }
}
